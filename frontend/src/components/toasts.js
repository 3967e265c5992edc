// Toast stack (bottom right). Reads the toasts store; server text is shown through x-text only.
export default () => ({
  get toasts() {
    return this.$store.toasts.items
  },

  text(toast) {
    return toast.text ?? this.$t(toast.key, toast.params)
  },

  toastClass(toast) {
    return toast.kind === 'error'
      ? 'border-rose-300 text-rose-800 dark:border-rose-500/40 dark:text-rose-200'
      : 'border-accent/40 text-ink'
  },

  dismiss(toast) {
    this.$store.toasts.dismiss(toast.id)
  },
})
