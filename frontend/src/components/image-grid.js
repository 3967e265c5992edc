import { zipImages } from '../api/images.js'
import { mix } from '../mix.js'
import { reportApiError } from '../stores/toasts.js'
import { taskView } from './task-view.js'

// One card per expected image of this session's tasks, newest task first. A running task has a pending
// card for each image it has not delivered yet; a failed or cancelled one without images has one card
// saying so. Exported for the lightbox, whose ←/→ step through the same images the grid shows.
export function sessionCards(session) {
  const cards = []
  for (const task of session) {
    const images = task.images ?? []
    images.forEach((image) => cards.push({ key: image.image_id, kind: 'image', task, image }))
    if (task.status === 'failed' || task.status === 'cancelled') {
      if (images.length === 0) cards.push({ key: `${task.task_id}-${task.status}`, kind: 'failed', task })
      continue
    }
    if (task.status === 'completed') {
      // An image set whose images failed alone (moderation, say): one card says so, with the reason.
      if (task.error && images.length < (task.num_images ?? 1)) cards.push({ key: `${task.task_id}-partly`, kind: 'failed', task })
      continue
    }
    const missing = Math.max(1, (task.num_images ?? 1) - images.length)
    for (let i = 0; i < missing; i++) cards.push({ key: `${task.task_id}-pending-${i}`, kind: 'pending', task })
  }
  return cards
}

export function imageCards(cards) {
  return cards.filter((card) => card.kind === 'image')
}

// The name a downloaded image is saved under (the grid's download button and the lightbox's).
export function downloadName(image) {
  return `volc-image-${image.image_id}.png`
}

// Centre column: one card per expected image. A running task shows skeleton cards for the images
// it has not delivered yet, so the grid does not jump when they arrive. A click opens the image in the
// lightbox (its own component, lightbox.js); "Select" picks several for one ZIP.
const grid = () => ({
  selecting: false,
  // image_id → true
  selected: {},
  zipping: false,
  // false once the server answered 404 to a ZIP request: the feature is hidden from then on.
  zipAvailable: true,

  get cards() {
    return sessionCards(this.$store.tasks.session)
  },

  get imageCards() {
    return imageCards(this.cards)
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
    const task = card.task
    if (task.status === 'completed') return this.$t('grid.partlyFailed', { n: (task.num_images ?? 1) - (task.images?.length ?? 0) })
    return this.$t(task.status === 'cancelled' ? 'grid.cancelled' : 'grid.failed')
  },

  // Cards take the requested aspect ratio before the image exists, so nothing jumps when it loads.
  aspectStyle(card) {
    const source = card.image ?? card.task
    const width = source.width || 1
    const height = source.height || 1
    return { aspectRatio: `${width} / ${height}` }
  },

  get imageCount() {
    return this.imageCards.length
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
    return downloadName(image)
  },

  // --- selection and ZIP -------------------------------------------------------------------------

  get canSelect() {
    return this.hasImages && this.zipAvailable
  },

  toggleSelecting() {
    this.selecting = !this.selecting
    if (!this.selecting) this.selected = {}
  },

  get selectLabel() {
    return this.$t(this.selecting ? 'grid.selectDone' : 'grid.select')
  },

  isSelected(card) {
    return Boolean(this.selected[card.image.image_id])
  },

  toggleSelected(card) {
    const id = card.image.image_id
    if (this.selected[id]) delete this.selected[id]
    else this.selected[id] = true
  },

  selectAll() {
    for (const card of this.imageCards) this.selected[card.image.image_id] = true
  },

  get selectedIds() {
    // Only images still shown: a deleted task's images drop out of the selection.
    return this.imageCards.map((card) => card.image.image_id).filter((id) => this.selected[id])
  },

  get selectedCount() {
    return this.selectedIds.length
  },

  get selectedText() {
    return this.$t('grid.selected', { n: this.selectedCount })
  },

  get zipDisabled() {
    return this.selectedCount === 0 || this.zipping
  },

  selectClass(card) {
    return this.isSelected(card) ? 'ring-3 ring-accent' : ''
  },

  cardLabel(card) {
    if (!this.selecting) return this.$t('grid.open')
    return this.$t(this.isSelected(card) ? 'grid.deselect' : 'grid.toggleSelect')
  },

  // The lightbox listens on the window (x-on:open-image.window), like it does for the history's
  // open-entry: the two components share no state.
  onCardClick(card) {
    if (this.selecting) this.toggleSelected(card)
    else this.$dispatch('open-image', card.image.image_id)
  },

  async downloadZip() {
    if (this.zipDisabled) return
    this.zipping = true
    try {
      const blob = await zipImages(this.selectedIds)
      const url = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = url
      link.download = `volc-images-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`
      document.body.append(link)
      link.click()
      link.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      this.selecting = false
      this.selected = {}
    } catch (error) {
      if (error.status === 404) {
        this.zipAvailable = false
        this.selecting = false
        this.$store.toasts.error({ key: 'grid.zipUnavailable' })
      } else {
        reportApiError(error)
      }
    } finally {
      this.zipping = false
    }
  },
})

export default () => mix(taskView, grid())
