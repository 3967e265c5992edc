import { trapFocus } from '../focus.js'
import { downloadName, imageCards, sessionCards } from './image-grid.js'
import { reportApiError } from '../stores/toasts.js'

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

// The original file, not the thumbnail, and as an attachment.
function downloadUrl(image) {
  return `${image.url}${image.url.includes('?') ? '&' : '?'}download=1`
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

// The image viewer over the page (lightbox.html): zoom (buttons, wheel, pinch, double click), ←/→,
// download, copy prompt, re-use, star, delete, and the edits (the editor, or one click), with a
// before/after slider on an edit's result. It opens on window events, so neither side knows the
// other: open-image from the grid (it then steps through the grid's images) and open-entry from the
// history (it steps through that entry's images). ui.lightboxOpen tells main.js's shortcuts to stand back.
export default () => ({
  // image_id of the image shown, or null
  viewingId: null,
  zoom: 1,
  panX: 0,
  panY: 0,
  confirmingDelete: false,
  editing: false,
  comparing: false,
  comparePosition: 50,
  // A history entry's images while the lightbox shows them (opened from the history); null otherwise.
  entryCards: null,

  // What ←/→ step through: the grid's images, or those of the history entry the lightbox came from.
  get lightboxCards() {
    return this.entryCards ?? imageCards(sessionCards(this.$store.tasks.session))
  },

  get viewingIndex() {
    return this.lightboxCards.findIndex((card) => card.image.image_id === this.viewingId)
  },

  get viewingCard() {
    return this.lightboxCards[this.viewingIndex] ?? null
  },

  get viewing() {
    const card = this.viewingCard
    return card ? { ...card.image, prompt: card.task.prompt, download: downloadName(card.image) } : null
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
    return this.viewing ? downloadUrl(this.viewing) : ''
  },

  // x-on:open-image.window: a card in the grid was clicked; detail is its image_id.
  openImage(event) {
    const imageId = event.detail
    if (!imageCards(sessionCards(this.$store.tasks.session)).some((card) => card.image.image_id === imageId)) return
    // Keyboard users land back on the thumbnail they opened when the lightbox closes.
    returnFocusTo = document.activeElement
    this.entryCards = null
    this.show(imageId)
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
    this.comparing = false
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

  // x-on:keydown.window: only while the lightbox is open, and never while the editor is over it.
  onKey(event) {
    if (!this.lightboxOpen || this.$store.ui.editorOpen) return
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

  // --- editing: the editor for what needs a mask or sides, one click for the rest; before/after -----

  // Whether some available model of the catalog serves the operation (a catalog in DATA_DIR may
  // have no editing models at all).
  offers(operation) {
    return this.$store.system.models.some((model) => model.available && (model.operations ?? []).includes(operation))
  },

  // Inpaint, erase and outpaint open the editor; upscale and remove_background go straight out.
  editViewing(event) {
    const operation = event.currentTarget.dataset.operation
    const card = this.viewingCard
    if (!card) return
    this.$dispatch('open-editor', { image: card.image, task: card.task, operation })
  },

  async quickEdit(event) {
    const operation = event.currentTarget.dataset.operation
    const card = this.viewingCard
    if (!card || this.editing) return
    this.editing = true
    try {
      await this.$store.tasks.submitEdit({ source_image_id: card.image.image_id, operation }, card.image)
      this.$store.toasts.info({ key: 'editor.submitted' })
      this.close()
    } catch (error) {
      const reason = error?.errors?.[0]?.reason
      if (reason) this.$store.toasts.error({ text: reason })
      else reportApiError(error, 'editor.failed')
    } finally {
      this.editing = false
    }
  },

  // An edit's result shows its source beside it: a slider uncovers the source from the left.
  get viewingSourceUrl() {
    const task = this.viewingCard?.task
    if (task?.source_image_id) return `/api/v1/images/${encodeURIComponent(task.source_image_id)}`
    if (task?.source_upload_id) return `/api/v1/uploads/${encodeURIComponent(task.source_upload_id)}`
    return ''
  },

  get canCompare() {
    return this.viewingSourceUrl !== ''
  },

  get operationText() {
    const operation = this.viewingCard?.task.operation
    return operation && operation !== 'generate' ? this.$t(`editor.${operation}`) : ''
  },

  toggleCompare() {
    this.comparing = !this.comparing
    this.comparePosition = 50
  },

  onCompareInput(event) {
    this.comparePosition = Math.min(100, Math.max(0, Number(event.target.value) || 0))
  },

  get compareStyle() {
    return { clipPath: `inset(0 ${100 - this.comparePosition}% 0 0)`, transform: this.zoomStyle.transform }
  },

  get comparePressed() {
    return this.comparing
  },

  // The history lists the image's edits: the source's when an edit is shown, so the whole family.
  showFamily() {
    const card = this.viewingCard
    if (!card) return
    this.$store.history.showFamily(card.task.source_image_id ?? card.image.image_id)
    this.close()
    // On a narrow screen the history is in the drawer: bring it out (md:hidden elsewhere).
    if (window.matchMedia('(max-width: 767px)').matches) this.$store.ui.drawerOpen = true
  },

  // Restyle: a generation with this image as its reference, from the form.
  restyleViewing() {
    const card = this.viewingCard
    if (!card) return
    this.close()
    this.$dispatch('restyle-image', { image: card.image })
  },

  // x-on:close-lightbox.window: the editor submitted an edit of the image shown.
  onEditorDone() {
    this.close()
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
