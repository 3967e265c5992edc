import { trapFocus } from '../focus.js'

const SHORTCUTS = [
  { keys: ['Ctrl / ⌘', 'Enter'], action: 'generate' },
  { keys: ['/'], action: 'focusPrompt' },
  { keys: ['←', '→'], action: 'navigate' },
  { keys: ['+', '−', '0'], action: 'zoom' },
  { keys: ['U'], action: 'showUsage' },
  { keys: ['Esc'], action: 'closeDialogs' },
  { keys: ['?'], action: 'showHelp' },
]

// The `?` dialog: what the keyboard can do.
export default () => ({
  shortcuts: SHORTCUTS,

  init() {
    this.$watch('$store.ui.dialog', (dialog) => {
      if (dialog === 'help') this.$nextTick(() => this.$refs.closeButton?.focus())
    })
  },

  get isOpen() {
    return this.$store.ui.dialog === 'help'
  },

  close() {
    this.$store.ui.closeDialog()
  },

  trap(event) {
    trapFocus(event, this.$refs.dialog)
  },

  actionText(shortcut) {
    return this.$t(`help.${shortcut.action}`)
  },
})
