const LIFETIME_MS = 7000
let nextId = 1

// Toasts hold an i18n key (re-translated if the language changes) or literal server text.
export default {
  items: [],

  // message: {key, params} for our own strings, {text} for text that came from the server.
  push(message, kind = 'error') {
    const id = nextId++
    this.items.push({ id, kind, ...message })
    setTimeout(() => this.dismiss(id), LIFETIME_MS)
  },

  error(message) {
    this.push(message, 'error')
  },

  dismiss(id) {
    const index = this.items.findIndex((toast) => toast.id === id)
    if (index !== -1) this.items.splice(index, 1)
  },
}
