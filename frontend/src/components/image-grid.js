import { zipImages } from '../api/images.js'
import { trapFocus } from '../focus.js'
import { mix } from '../mix.js'
import { reportApiError } from '../stores/toasts.js'
import { taskView } from './task-view.js'

const MIN_ZOOM = 1
const MAX_ZOOM = 6
const ZOOM_STEP = 1.25

// Kept outside the reactive component state: DOM nodes and pointer bookkeeping have no business
// being made reactive.
let returnFocusTo = null
const pointers = new Map()
let pinchStart = null
let dragStart = null

function clampZoom(value) {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, value))
}

function distance([a, b]) {
  return Math.hypot(a.x - b.x, a.y - b.y)
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // No clipboard API outside secure contexts (http://<LAN address>): the old way still works there.
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.className = 'fixed -left-[9999px]'
    document.body.append(area)
    area.select()
    const copied = document.execCommand('copy')
    area.remove()
    return copied
  }
}

// Centre column: one card per expected image. A running task shows skeleton cards for the images
// it has not delivered yet, so the grid does not jump when they arrive. Images open in a lightbox
// (zoom, ←/→, download, copy prompt, re-use, star, delete); "Select" picks several for one ZIP.
const grid = () => ({
  // image_id of the image in the lightbox, or null
  viewingId: null,
  zoom: 1,
  panX: 0,
  panY: 0,
  confirmingDelete: false,
  selecting: false,
  // image_id → true
  selected: {},
  zipping: false,
  // A history entry's images while the lightbox shows them (opened from the history); null otherwise.
  entryCards: null,
  // false once the server answered 404 to a ZIP request: the feature is hidden from then on.
  zipAvailable: true,

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

  get imageCards() {
    return this.cards.filter((card) => card.kind === 'image')
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
    return `volc-image-${image.image_id}.png`
  },

  downloadUrl(image) {
    return `${image.url}${image.url.includes('?') ? '&' : '?'}download=1`
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

  onCardClick(card) {
    if (this.selecting) this.toggleSelected(card)
    else this.open(card)
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

  // --- lightbox ----------------------------------------------------------------------------------

  // What ←/→ step through: the grid's images, or those of the history entry the lightbox came from.
  get lightboxCards() {
    return this.entryCards ?? this.imageCards
  },

  get viewingIndex() {
    return this.lightboxCards.findIndex((card) => card.image.image_id === this.viewingId)
  },

  get viewingCard() {
    return this.lightboxCards[this.viewingIndex] ?? null
  },

  get viewing() {
    const card = this.viewingCard
    return card ? { ...card.image, prompt: card.task.prompt, download: this.downloadName(card.image) } : null
  },

  get lightboxOpen() {
    return this.viewingCard !== null
  },

  get viewingDimensions() {
    const image = this.viewing
    return image ? this.$t('lightbox.dimensions', { w: image.width, h: image.height }) : ''
  },

  get positionText() {
    return this.lightboxOpen ? this.$t('lightbox.position', { n: this.viewingIndex + 1, total: this.lightboxCards.length }) : ''
  },

  get viewingDownloadUrl() {
    return this.viewing ? this.downloadUrl(this.viewing) : ''
  },

  open(card) {
    // Keyboard users land back on the thumbnail they opened when the lightbox closes.
    returnFocusTo = document.activeElement
    this.entryCards = null
    this.show(card.image.image_id)
    this.$nextTick(() => this.$refs.lightboxClose?.focus())
  },

  // x-on:open-entry.window: a history thumbnail was clicked; detail is the history entry (a task).
  openEntry(event) {
    const task = event.detail
    const images = task?.images ?? []
    if (images.length === 0) return
    returnFocusTo = document.activeElement
    this.entryCards = images.map((image) => ({ key: image.image_id, kind: 'image', task, image }))
    this.show(images[0].image_id)
    this.$nextTick(() => this.$refs.lightboxClose?.focus())
  },

  show(imageId) {
    this.viewingId = imageId
    this.$store.ui.lightboxOpen = true
    this.confirmingDelete = false
    this.resetZoom()
  },

  close() {
    if (this.viewingId === null) return
    this.viewingId = null
    this.entryCards = null
    this.$store.ui.lightboxOpen = false
    this.confirmingDelete = false
    returnFocusTo?.focus()
    returnFocusTo = null
  },

  get hasPrevious() {
    return this.viewingIndex > 0
  },

  get hasNext() {
    return this.viewingIndex >= 0 && this.viewingIndex < this.lightboxCards.length - 1
  },

  previous() {
    if (this.hasPrevious) this.show(this.lightboxCards[this.viewingIndex - 1].image.image_id)
  },

  next() {
    if (this.hasNext) this.show(this.lightboxCards[this.viewingIndex + 1].image.image_id)
  },

  // x-on:keydown.window: only while the lightbox is open, and never while a field has focus.
  onKey(event) {
    if (!this.lightboxOpen) return
    if (event.key === 'Escape') this.close()
    else if (event.key === 'ArrowLeft') this.previous()
    else if (event.key === 'ArrowRight') this.next()
    else if (event.key === '+' || event.key === '=') this.zoomIn()
    else if (event.key === '-') this.zoomOut()
    else if (event.key === '0') this.resetZoom()
    else return
    event.preventDefault()
  },

  trap(event) {
    trapFocus(event, this.$refs.lightbox)
  },

  // --- zoom: buttons, wheel, pinch; drag pans a zoomed image --------------------------------------

  setZoom(value) {
    this.zoom = clampZoom(value)
    if (this.zoom === MIN_ZOOM) {
      this.panX = 0
      this.panY = 0
    }
  },

  zoomIn() {
    this.setZoom(this.zoom * ZOOM_STEP)
  },

  zoomOut() {
    this.setZoom(this.zoom / ZOOM_STEP)
  },

  resetZoom() {
    this.zoom = 1
    this.panX = 0
    this.panY = 0
  },

  get zoomText() {
    return `${Math.round(this.zoom * 100)}%`
  },

  get canZoomIn() {
    return this.zoom < MAX_ZOOM
  },

  get canZoomOut() {
    return this.zoom > MIN_ZOOM
  },

  get zoomStyle() {
    return { transform: `translate(${this.panX}px, ${this.panY}px) scale(${this.zoom})` }
  },

  get stageCursor() {
    return this.zoom > 1 ? 'cursor-grab touch-none' : 'cursor-zoom-in touch-pan-y'
  },

  onWheel(event) {
    this.setZoom(this.zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1))
  },

  onPointerDown(event) {
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY })
    event.currentTarget.setPointerCapture?.(event.pointerId)
    if (pointers.size === 2) pinchStart = { distance: distance([...pointers.values()]), zoom: this.zoom }
    else dragStart = { x: event.clientX - this.panX, y: event.clientY - this.panY }
  },

  onPointerMove(event) {
    if (!pointers.has(event.pointerId)) return
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY })
    if (pointers.size === 2 && pinchStart) {
      this.setZoom((pinchStart.zoom * distance([...pointers.values()])) / Math.max(1, pinchStart.distance))
    } else if (dragStart && this.zoom > 1) {
      this.panX = event.clientX - dragStart.x
      this.panY = event.clientY - dragStart.y
    }
  },

  onPointerUp(event) {
    pointers.delete(event.pointerId)
    if (pointers.size < 2) pinchStart = null
    if (pointers.size === 0) dragStart = null
  },

  // A double click (or double tap) toggles between fitted and 2×.
  onDoubleClick() {
    this.setZoom(this.zoom > 1 ? 1 : 2)
  },

  // --- lightbox actions ----------------------------------------------------------------------------

  async copyPrompt() {
    const copied = await copyText(this.viewing?.prompt ?? '')
    if (copied) this.$store.toasts.info({ key: 'lightbox.copied' })
    else this.$store.toasts.error({ key: 'lightbox.copyFailed' })
  },

  reuseViewing() {
    const task = this.viewingCard?.task
    if (!task) return
    this.close()
    this.$dispatch('reuse-task', task)
  },

  get viewingFavourite() {
    return Boolean(this.viewingCard?.task.favourite)
  },

  get favouriteText() {
    return this.$t(this.viewingFavourite ? 'history.unfavourite' : 'history.favourite')
  },

  get favouriteStarClass() {
    return this.viewingFavourite ? 'fill-current text-amber-500 dark:text-amber-400' : ''
  },

  async toggleViewingFavourite() {
    const task = this.viewingCard?.task
    if (task) await this.$store.tasks.toggleFavourite(task)
  },

  askDelete() {
    this.confirmingDelete = true
    this.$nextTick(() => this.$refs.confirmDelete?.focus())
  },

  keepViewing() {
    this.confirmingDelete = false
    this.$nextTick(() => this.$refs.deleteButton?.focus())
  },

  get deleteText() {
    const task = this.viewingCard?.task
    return this.$t('lightbox.confirmDelete', { n: task?.images?.length ?? 1 })
  },

  // Deletes the image's task (all its images); the lightbox moves on to a neighbour, or closes.
  async confirmDeleteViewing() {
    const card = this.viewingCard
    if (!card) return
    const taskId = card.task.task_id
    const cards = this.lightboxCards
    const neighbour =
      cards.slice(this.viewingIndex + 1).find((c) => c.task.task_id !== taskId) ??
      [...cards.slice(0, this.viewingIndex)].reverse().find((c) => c.task.task_id !== taskId)
    this.confirmingDelete = false
    if (!(await this.$store.tasks.remove(card.task))) return
    this.$store.toasts.info({ key: 'lightbox.deleted' })
    if (neighbour) this.show(neighbour.image.image_id)
    else this.close()
  },
})

export default () => mix(taskView, grid())
