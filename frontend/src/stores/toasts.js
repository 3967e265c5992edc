import Alpine from '@alpinejs/csp'

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

  info(message) {
    this.push(message, 'info')
  },

  dismiss(id) {
    const index = this.items.findIndex((toast) => toast.id === id)
    if (index !== -1) this.items.splice(index, 1)
  },
}

// One way to tell the user a request failed: the server's own detail when it sent one (a 409 says
// which state the task is in, a 404 which task is gone), else our words for the status.
// A 429 is a wait, not a failure: it says so, with the server's Retry-After when there is one; the
// monthly quota is not a wait of seconds, so it says what is used and what can be done.
export function reportApiError(error, fallbackKey) {
  const toasts = Alpine.store('toasts')
  if (error?.status === 0) toasts.error({ key: 'errors.network' })
  else if (error?.code === 'MONTHLY_QUOTA_EXCEEDED') toasts.error({ key: 'errors.monthlyQuota', params: { used: 0, reserved: 0, limit: 0, requested: 0, ...error.facts } })
  else if (error?.status === 429 && error.retryAfter != null) toasts.error({ key: 'errors.rateLimitedWait', params: { s: error.retryAfter } })
  else if (error?.status === 429) toasts.error({ key: 'errors.rateLimited' })
  else if (error?.detail) toasts.error({ text: error.detail })
  else if (fallbackKey) toasts.error({ key: fallbackKey })
  else toasts.error({ key: 'errors.http', params: { status: error?.status ?? '?' } })
}
