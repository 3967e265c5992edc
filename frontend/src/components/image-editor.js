import { trapFocus } from '../focus.js'
import { uploadImage } from '../api/uploads.js'
import { reportApiError } from '../stores/toasts.js'

const MIN_BRUSH = 4
const MAX_BRUSH = 200
const UNDO_DEPTH = 20
// The painted area, drawn opaque: the server reads an RGBA mask's opaque pixels as the area, so the
// canvas is uploaded as it is. It is shown at half opacity (the canvas's CSS) over the image.
const PAINT = 'rgb(244, 63, 94)'

// Outside the reactive state: the canvas, its 2D context and the undo snapshots are large and have no
// business being proxied by Alpine.
let context = null
let undoStack = []
let lastPoint = null
let returnFocusTo = null

function clampFraction(value) {
  const number = Number(value)
  return Number.isFinite(number) ? Math.min(100, Math.max(0, Math.round(number))) : 0
}

function canvasBlob(canvas) {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('mask'))), 'image/png'))
}

// The editor over the page (image-editor.html): inpaint and erase with a mask painted over the
// image (brush, eraser, size, undo, clear; mouse, pen and touch through pointer events; [ and ] size
// the brush, B and E switch tools, Ctrl/⌘+Z undoes), outpaint with a fraction per side and a preview
// of the new canvas. It opens on the window event open-editor {image, task, operation} from the
// lightbox, and submits through POST /api/v1/edits.
export default () => ({
  open: false,
  operation: 'inpaint',
  image: null,
  prompt: '',
  tool: 'brush',
  brush: 40,
  painted: false,
  undoCount: 0,
  sides: { top: 0, right: 0, bottom: 0, left: 0 },
  submitting: false,
  errors: [],

  get isMasked() {
    return this.operation === 'inpaint' || this.operation === 'erase'
  },

  get isOutpaint() {
    return this.operation === 'outpaint'
  },

  get takesPrompt() {
    return this.operation !== 'erase'
  },

  get title() {
    return this.$t(`editor.${this.operation}`)
  },

  get hint() {
    return this.$t(`editor.${this.operation}Hint`)
  },

  get promptLabel() {
    return this.$t(this.operation === 'inpaint' ? 'editor.prompt' : 'editor.promptOptional')
  },

  get brushText() {
    return this.$t('editor.brushSize', { n: this.brush })
  },

  get brushPressed() {
    return this.tool === 'brush'
  },

  get eraserPressed() {
    return this.tool === 'eraser'
  },

  get canUndo() {
    return this.undoCount > 0
  },

  get imageUrl() {
    return this.image?.url ?? ''
  },

  get canvasWidth() {
    return this.image?.width ?? 1
  },

  get canvasHeight() {
    return this.image?.height ?? 1
  },

  // The outpaint preview: the new canvas's shape, the image placed inside it by the side fractions.
  get extendedSize() {
    const { top, right, bottom, left } = this.sides
    const width = Math.round(this.canvasWidth * (1 + (left + right) / 100))
    const height = Math.round(this.canvasHeight * (1 + (top + bottom) / 100))
    return { width, height }
  },

  get previewFrameStyle() {
    const { width, height } = this.extendedSize
    return { aspectRatio: `${width} / ${height}` }
  },

  get previewImageStyle() {
    const { top, right, bottom, left } = this.sides
    const across = 100 + left + right
    const down = 100 + top + bottom
    return {
      left: `${(left / across) * 100}%`,
      top: `${(top / down) * 100}%`,
      width: `${(100 / across) * 100}%`,
      height: `${(100 / down) * 100}%`,
    }
  },

  get extendedText() {
    const { width, height } = this.extendedSize
    return this.$t('editor.newSize', { w: width, h: height })
  },

  get submitText() {
    return this.$t(this.submitting ? 'editor.submitting' : 'editor.submit')
  },

  hasError(field) {
    return this.errors.some((error) => error.field === field || error.field.startsWith(`${field}.`))
  },

  errorText(field) {
    return this.errors
      .filter((error) => error.field === field || error.field.startsWith(`${field}.`))
      .map((error) => error.reason)
      .join('; ')
  },

  get generalError() {
    return this.errorText('mask') || this.errorText('source_image_id') || this.errorText('model') || this.errorText('operation')
  },

  // x-on:open-editor.window: detail is {image, task, operation}.
  openEditor(event) {
    const { image, operation } = event.detail ?? {}
    if (!image) return
    returnFocusTo = document.activeElement
    this.image = image
    this.operation = operation
    this.prompt = ''
    this.tool = 'brush'
    this.painted = false
    this.sides = { top: 0, right: 0, bottom: 0, left: 0 }
    if (operation === 'outpaint') this.sides = { top: 0, right: 25, bottom: 0, left: 25 }
    this.errors = []
    this.submitting = false
    undoStack = []
    this.undoCount = 0
    this.open = true
    this.$store.ui.editorOpen = true
    this.$nextTick(() => {
      this.prepareCanvas()
      this.$refs.editorClose?.focus()
    })
  },

  close() {
    if (!this.open) return
    this.open = false
    this.$store.ui.editorOpen = false
    context = null
    undoStack = []
    returnFocusTo?.focus?.()
    returnFocusTo = null
  },

  trap(event) {
    trapFocus(event, this.$refs.editor)
  },

  onKey(event) {
    if (!this.open) return
    if (event.key === 'Escape') {
      event.stopPropagation()
      this.close()
      return
    }
    if (!this.isMasked || event.target.closest?.('textarea, input')) return
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') this.undo()
    else if (event.key === '[') this.setBrush(this.brush - 8)
    else if (event.key === ']') this.setBrush(this.brush + 8)
    else if (event.key.toLowerCase() === 'b') this.tool = 'brush'
    else if (event.key.toLowerCase() === 'e') this.tool = 'eraser'
    else return
    event.preventDefault()
  },

  // --- the mask painter --------------------------------------------------------------------------

  prepareCanvas() {
    const canvas = this.$refs.mask
    if (!canvas) return
    canvas.width = this.canvasWidth
    canvas.height = this.canvasHeight
    context = canvas.getContext('2d')
    context.clearRect(0, 0, canvas.width, canvas.height)
  },

  setBrush(value) {
    this.brush = Math.min(MAX_BRUSH, Math.max(MIN_BRUSH, Math.round(Number(value) || MIN_BRUSH)))
  },

  onBrushInput(event) {
    this.setBrush(event.target.value)
  },

  useBrush() {
    this.tool = 'brush'
  },

  useEraser() {
    this.tool = 'eraser'
  },

  // Pointer position in the image's own pixels: the mask must be the source's size.
  pointOf(event) {
    const canvas = this.$refs.mask
    const box = canvas.getBoundingClientRect()
    return {
      x: ((event.clientX - box.left) / box.width) * canvas.width,
      y: ((event.clientY - box.top) / box.height) * canvas.height,
      scale: canvas.width / box.width,
    }
  },

  onPaintStart(event) {
    if (!context) return
    event.preventDefault()
    event.currentTarget.setPointerCapture?.(event.pointerId)
    undoStack.push(context.getImageData(0, 0, context.canvas.width, context.canvas.height))
    if (undoStack.length > UNDO_DEPTH) undoStack.shift()
    this.undoCount = undoStack.length
    lastPoint = this.pointOf(event)
    this.stroke(lastPoint, lastPoint)
  },

  onPaintMove(event) {
    if (!context || !lastPoint) return
    const point = this.pointOf(event)
    this.stroke(lastPoint, point)
    lastPoint = point
  },

  // The "paint first" error goes when a stroke ends, not while it is drawn: the page must not move
  // under the pen mid-stroke.
  onPaintEnd() {
    if (lastPoint && this.painted) this.errors = this.errors.filter((error) => error.field !== 'mask')
    lastPoint = null
  },

  stroke(from, to) {
    context.save()
    context.globalCompositeOperation = this.tool === 'eraser' ? 'destination-out' : 'source-over'
    context.strokeStyle = PAINT
    context.fillStyle = PAINT
    context.lineCap = 'round'
    context.lineJoin = 'round'
    // The brush size is in screen pixels, as the user sees it.
    context.lineWidth = this.brush * to.scale
    context.beginPath()
    context.moveTo(from.x, from.y)
    context.lineTo(to.x + 0.01, to.y)
    context.stroke()
    context.restore()
    if (this.tool === 'brush') this.painted = true
  },

  undo() {
    const snapshot = undoStack.pop()
    this.undoCount = undoStack.length
    if (snapshot && context) context.putImageData(snapshot, 0, 0)
  },

  clear() {
    if (!context) return
    undoStack.push(context.getImageData(0, 0, context.canvas.width, context.canvas.height))
    this.undoCount = undoStack.length
    context.clearRect(0, 0, context.canvas.width, context.canvas.height)
    this.painted = false
  },

  // --- outpaint sides ------------------------------------------------------------------------------

  onSideInput(event) {
    const side = event.target.dataset.side
    this.sides = { ...this.sides, [side]: clampFraction(event.target.value) }
  },

  // --- submit --------------------------------------------------------------------------------------

  async submit() {
    if (this.submitting || !this.image) return
    this.errors = []
    if (this.isMasked && !this.painted) {
      this.errors = [{ field: 'mask', reason: this.$t('editor.paintFirst') }]
      return
    }
    if (this.operation === 'inpaint' && !this.prompt.trim()) {
      this.errors = [{ field: 'prompt', reason: this.$t('editor.promptRequired') }]
      return
    }
    this.submitting = true
    try {
      const payload = { source_image_id: this.image.image_id, operation: this.operation }
      if (this.takesPrompt && this.prompt.trim()) payload.prompt = this.prompt.trim()
      if (this.isMasked) {
        const blob = await canvasBlob(this.$refs.mask)
        const mask = await uploadImage(new File([blob], 'mask.png', { type: 'image/png' }))
        payload.mask_upload_id = mask.upload_id
      }
      if (this.isOutpaint) {
        const { top, right, bottom, left } = this.sides
        payload.expand = { top: top / 100, right: right / 100, bottom: bottom / 100, left: left / 100 }
      }
      await this.$store.tasks.submitEdit(payload, this.image)
      this.$store.toasts.info({ key: 'editor.submitted' })
      this.close()
      this.$dispatch('close-lightbox')
    } catch (error) {
      if (error?.errors?.length) this.errors = error.errors
      else reportApiError(error, 'editor.failed')
    } finally {
      this.submitting = false
    }
  },
})
