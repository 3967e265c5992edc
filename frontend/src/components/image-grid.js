import { taskView } from './task-view.js'

// Kept outside the reactive component state: a DOM node has no business being made reactive.
let returnFocusTo = null

// Centre column: one card per expected image. A running task shows skeleton cards for the images
// it has not delivered yet, so the grid does not jump when they arrive.
export default () => ({
  ...taskView,
  viewing: null,

  get cards() {
    const cards = []
    for (const task of this.$store.tasks.session) {
      const images = task.images ?? []
      images.forEach((image) => cards.push({ key: image.image_id, kind: 'image', task, image }))
      if (task.status === 'failed' || task.status === 'cancelled') {
        if (images.length === 0) cards.push({ key: `${task.task_id}-${task.status}`, kind: 'failed', task })
        continue
      }
      if (task.status === 'completed') continue
      const missing = Math.max(1, (task.num_images ?? 1) - images.length)
      for (let i = 0; i < missing; i++) cards.push({ key: `${task.task_id}-pending-${i}`, kind: 'pending', task })
    }
    return cards
  },

  isImageCard(card) {
    return card.kind === 'image'
  },

  isPendingCard(card) {
    return card.kind === 'pending'
  },

  isFailedCard(card) {
    return card.kind === 'failed'
  },

  // A failure is an alarm; a cancellation was the user's own doing and stays quiet.
  endedCardClass(card) {
    return card.task.status === 'cancelled'
      ? 'border-line bg-surface-2 text-muted'
      : 'border-rose-200 bg-rose-50 text-rose-700 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-300'
  },

  failedTitle(card) {
    return this.$t(card.task.status === 'cancelled' ? 'grid.cancelled' : 'grid.failed')
  },

  // Cards take the requested aspect ratio before the image exists, so nothing jumps when it loads.
  aspectStyle(card) {
    const source = card.image ?? card.task
    const width = source.width || 1
    const height = source.height || 1
    return { aspectRatio: `${width} / ${height}` }
  },

  get imageCount() {
    return this.$store.tasks.session.reduce((sum, task) => sum + (task.images?.length ?? 0), 0)
  },

  get hasImages() {
    return this.imageCount > 0
  },

  get imageCountText() {
    return this.$t('grid.imageCount', { n: this.imageCount })
  },

  get isEmpty() {
    return this.$store.tasks.session.length === 0
  },

  imageAlt(card) {
    return card.task.prompt ?? ''
  },

  downloadName(image) {
    return `volc-image-${image.image_id}.png`
  },

  open(card) {
    // Keyboard users land back on the thumbnail they opened when the lightbox closes.
    returnFocusTo = document.activeElement
    this.viewing = { ...card.image, prompt: card.task.prompt, download: this.downloadName(card.image) }
    this.$nextTick(() => this.$refs.lightboxClose?.focus())
  },

  close() {
    if (!this.viewing) return
    this.viewing = null
    returnFocusTo?.focus()
    returnFocusTo = null
  },

  get lightboxOpen() {
    return this.viewing !== null
  },

  get viewingDimensions() {
    const image = this.viewing
    return image ? this.$t('lightbox.dimensions', { w: image.width, h: image.height }) : ''
  },
})
