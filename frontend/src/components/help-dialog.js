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

// Top-bar buttons that open things.
export function topBar() {
  return {
    openSettings() {
      this.$store.ui.openDialog('settings')
    },
    openHelp() {
      this.$store.ui.openDialog('help')
    },
    openUsage() {
      this.$store.ui.openDialog('usage')
    },
    // Focus goes into the drawer when it opens and back to its button when it closes.
    toggleDrawer() {
      this.$store.ui.toggleDrawer()
      if (this.$store.ui.drawerOpen) this.$nextTick(() => document.querySelector('[data-testid=drawer-close]')?.focus())
    },
    get drawerOpen() {
      return this.$store.ui.drawerOpen
    },
    closeDrawer() {
      if (!this.$store.ui.drawerOpen) return
      this.$store.ui.closeDrawer()
      document.querySelector('[data-testid=drawer-toggle]')?.focus()
    },
    // Below the md breakpoint the right column is a drawer: hidden until opened, then over the page.
    get drawerClass() {
      return this.drawerOpen
        ? 'max-md:fixed max-md:inset-y-0 max-md:right-0 max-md:z-40 max-md:w-[88vw] max-md:max-w-sm max-md:overflow-y-auto max-md:rounded-none'
        : 'max-md:hidden'
    },
    get queueButtonText() {
      return this.$t('header.queue')
    },
    get activeCount() {
      return this.$store.tasks.active.length
    },
    get hasActive() {
      return this.activeCount > 0
    },
  }
}
