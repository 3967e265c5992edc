// Which modal dialog is open (one at a time) and whether the queue drawer is out on narrow screens.
// Focus goes back to whatever had it when a dialog opened.
let returnFocusTo = null

export default {
  // null | 'settings' | 'help' | 'usage' | 'users'
  dialog: null,
  drawerOpen: false,
  // Set by the lightbox: single-key shortcuts stay off while the lightbox is open.
  lightboxOpen: false,
  // Set by the image editor, which opens over the lightbox: the lightbox's keys stand back.
  editorOpen: false,

  openDialog(name) {
    if (this.dialog === null) returnFocusTo = document.activeElement
    this.dialog = name
  },

  closeDialog() {
    if (this.dialog === null) return
    this.dialog = null
    returnFocusTo?.focus?.()
    returnFocusTo = null
  },

  toggleDrawer() {
    this.drawerOpen = !this.drawerOpen
  },

  closeDrawer() {
    this.drawerOpen = false
  },
}
