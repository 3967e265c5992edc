// The top bar (src/components/top-bar.html): buttons that open things, and the queue drawer that the
// right column becomes below the md breakpoint (its backdrop and <aside> in index.html use it too).
export default function topBar() {
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
    openUsers() {
      this.$store.ui.openDialog('users')
    },
    get managesUsers() {
      return this.$store.session.managesUsers
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
