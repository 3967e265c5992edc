import { localize } from '../i18n/index.js'
import { randomId } from '../ids.js'
import { reportApiError } from '../stores/toasts.js'
import { mix } from '../mix.js'
import batch from './generator-batch.js'
import presets from './generator-presets.js'
import references from './generator-references.js'

// Server field names → the form field that shows the error (width and height share the size picker).
const FIELD_OF = { width: 'size', height: 'size', num_images: 'count' }
const SHOWN_FIELDS = ['prompt', 'model', 'size', 'count', 'seed', 'steps', 'scale', 'negative_prompt', 'batch', 'reference_image_ids']

function sizeKey(width, height) {
  return `${width}x${height}`
}

// Left column: the prompt and parameter form. Field limits come from the selected model. Batch mode,
// presets and reference images are mixed in from their own modules.
const form = () => ({
  prompt: '',
  modelId: '',
  size: '',
  numImages: 1,
  // One related set, streamed image by image (models with sequential: true).
  sequential: false,
  seed: '',
  steps: 0,
  scale: 0,
  negativePrompt: '',
  // option name → on/off, for the selected model's switches (e.g. use_pre_llm)
  options: {},
  advancedOpen: false,
  submitting: false,
  // field → {key, params} (our validation) or {text} (server reason)
  errors: {},
  // A task chosen with "re-use parameters" whose model is being switched to; its values are applied
  // after the new model's defaults, which would otherwise overwrite them.
  pendingReuse: null,
  // The last submit whose outcome we never learnt (network failure, 5xx): {key, body}. Sending the
  // same form again reuses its Idempotency-Key, so if the first request did reach the server, the
  // retry returns that task instead of starting a second one.
  unconfirmed: null,

  init() {
    this.$watch('$store.system.models', () => this.ensureModel())
    this.$watch('modelId', () => this.applyModelDefaults())
    // The server's defaults (settings dialog) may arrive after the models.
    this.$watch('$store.system.defaults', () => this.ensureModel())
    this.initBatch()
    this.ensureModel()
  },

  get models() {
    return this.$store.system.generationModels
  },

  get model() {
    return this.$store.system.model(this.modelId)
  },

  get lang() {
    return this.$store.settings.lang
  },

  // The server's default model if it has one and nothing was chosen yet, else the first available one.
  ensureModel() {
    if (this.model) return
    const preferred = this.$store.system.model(this.$store.system.defaults?.default_model)
    const first = preferred?.available ? preferred : (this.models.find((model) => model.available) ?? this.models[0])
    if (first) this.modelId = first.id
  },

  applyModelDefaults() {
    const model = this.model
    if (!model) return
    const presets = model.size?.presets ?? []
    const defaults = this.$store.system.defaults
    const own = defaults?.default_model === model.id && defaults.default_width && defaults.default_height
    const wanted = own
      ? sizeKey(defaults.default_width, defaults.default_height)
      : sizeKey(model.size?.default_width, model.size?.default_height)
    const preset = presets.find((p) => sizeKey(p.width, p.height) === wanted) ?? presets[0]
    this.size = own ? wanted : preset ? sizeKey(preset.width, preset.height) : wanted
    if (defaults?.default_num_images && this.numImages === 1) this.numImages = defaults.default_num_images
    this.numImages = Math.min(this.numImages, this.maxImages)
    this.batchSizes = {}
    if (!model.reference_images) this.references = []
    this.steps = model.params?.steps?.default ?? 0
    this.scale = model.params?.scale?.default ?? 0
    this.options = Object.fromEntries(this.modelOptions.map((option) => [option.name, Boolean(option.default)]))
    this.clearError('model')
    if (this.pendingReuse) {
      const task = this.pendingReuse
      this.pendingReuse = null
      this.applyTask(task)
    }
  },

  // --- what the template shows -------------------------------------------------------------

  modelLabel(model) {
    const name = localize(model.name, this.lang)
    return model.available ? name : name + this.$t('form.modelUnavailable')
  },

  get modelDescription() {
    const model = this.model
    if (!model) return ''
    return model.available ? localize(model.description, this.lang) : localize(model.unavailable_reason, this.lang)
  },

  // A model on its way out (lifecycle.deprecated) says so, with the date once one is known, and
  // offers its successor when the catalog names one that is available. (Getters: the CSP build's
  // expressions have no optional chaining.)
  get deprecated() {
    const lifecycle = this.model?.lifecycle
    return Boolean(lifecycle?.deprecated || lifecycle?.retires_at)
  },

  get deprecationText() {
    const date = this.model?.lifecycle?.retires_at
    return date
      ? this.$t('form.retiresOn', { date: new Date(date).toLocaleDateString(this.lang) })
      : this.$t('form.deprecated')
  },

  get replacement() {
    const id = this.model?.lifecycle?.replaced_by
    const successor = id ? this.$store.system.model(id) : null
    return successor?.available ? successor : null
  },

  get replacementId() {
    return this.deprecated ? (this.replacement?.id ?? '') : ''
  },

  get replacementButton() {
    return this.$t('form.useReplacement', { name: localize(this.replacement?.name, this.lang) })
  },

  useReplacement() {
    if (this.replacementId) this.modelId = this.replacementId
  },

  get modelFacts() {
    const model = this.model
    if (!model) return ''
    const price = model.price_cny ? this.$t('form.price', { price: model.price_cny }) : this.$t('form.free')
    const seconds = Math.max(1, Math.round((model.typical_latency_ms ?? 0) / 1000))
    return `${price} · ${this.$t('form.latency', { s: seconds })}`
  },

  get presets() {
    const presets = (this.model?.size?.presets ?? []).map((preset) => ({
      key: sizeKey(preset.width, preset.height),
      label: preset.label,
      dimensions: `${preset.width}×${preset.height}`,
    }))
    // A re-used task may have a size that is no preset (made through the API): show it as its own choice.
    const [width, height] = this.size.split('x').map(Number)
    if (width && height && presets.length && !presets.some((preset) => preset.key === this.size)) {
      presets.push({ key: this.size, label: this.$t('form.customSize'), dimensions: `${width}×${height}` })
    }
    return presets
  },

  get promptMax() {
    return this.model?.prompt_max_chars ?? 0
  },

  get promptLength() {
    // Count code points, not UTF-16 units, so an emoji counts once (as a server in Java counting
    // codePoints would). A list of prompts is limited line by line: its longest line counts.
    if (this.isPromptList) return Math.max(0, ...this.promptLines.map((line) => [...line].length))
    return [...this.prompt].length
  },

  get charCount() {
    return this.$t('form.charCount', { used: this.promptLength, max: this.promptMax || '—' })
  },

  get overLimit() {
    return this.promptMax > 0 && this.promptLength > this.promptMax
  },

  get countClass() {
    return this.overLimit ? 'font-medium text-rose-600 dark:text-rose-400' : 'text-muted'
  },

  get noModels() {
    return this.models.length === 0
  },

  get noModelsText() {
    const offline = this.$store.system.connection === 'offline'
    return this.$t(offline ? 'form.modelsUnavailable' : 'form.modelLoading')
  },

  isSelectedModel(model) {
    return model.id === this.modelId
  },

  // A small outline in the preset's aspect ratio, 22 px on its long side.
  ratioStyle(preset) {
    const [width, height] = preset.key.split('x').map(Number)
    const scale = 22 / Math.max(width, height)
    return { width: `${Math.round(width * scale)}px`, height: `${Math.round(height * scale)}px` }
  },

  get singleImageOnly() {
    return this.maxImages === 1
  },

  get chevronClass() {
    return this.advancedOpen ? 'rotate-180' : ''
  },

  get spinnerClass() {
    return this.submitting ? 'animate-spin' : ''
  },

  get maxImages() {
    return Math.max(1, this.model?.max_images ?? 1)
  },

  get countText() {
    return this.$t('form.countValue', { n: this.numImages })
  },

  get stepsRange() {
    return this.model?.params?.steps ?? null
  },

  get scaleRange() {
    return this.model?.params?.scale ?? null
  },

  // Some models take scale in [0, 1], others in [1, 30]: a fixed step would be useless for one of them.
  get scaleStep() {
    const range = this.scaleRange
    if (range?.integer) return 1
    return range && range.max - range.min <= 2 ? 0.05 : 0.5
  },

  get scaleText() {
    return Number(this.scale).toFixed(this.scaleStep >= 1 ? 0 : this.scaleStep < 0.1 ? 2 : 1)
  },

  get supportsSeed() {
    return Boolean(this.model?.params?.seed)
  },

  get makesSets() {
    return Boolean(this.model?.sequential)
  },

  toggleSequential() {
    this.sequential = !this.sequential
  },

  get sequentialSwitchClass() {
    return this.sequential ? 'bg-accent' : 'bg-line'
  },

  get sequentialKnobClass() {
    return this.sequential ? 'translate-x-4' : 'translate-x-0'
  },

  get supportsNegative() {
    return Boolean(this.model?.negative_prompt)
  },

  get modelOptions() {
    return Array.isArray(this.model?.options) ? this.model.options : []
  },

  get hasOptions() {
    return this.modelOptions.length > 0
  },

  optionOn(option) {
    return Boolean(this.options[option.name])
  },

  toggleOption(option) {
    this.options[option.name] = !this.optionOn(option)
  },

  optionLabel(option) {
    return localize(option.label, this.lang) || option.name
  },

  optionDescription(option) {
    return localize(option.description, this.lang)
  },

  optionId(option) {
    return `option-${option.name}`
  },

  optionTestId(option) {
    return `option-${option.name}`
  },

  switchClass(option) {
    return this.optionOn(option) ? 'bg-accent' : 'bg-line'
  },

  knobClass(option) {
    return this.optionOn(option) ? 'translate-x-4' : 'translate-x-0'
  },

  get hasAdvanced() {
    return (
      this.supportsSeed || this.stepsRange !== null || this.scaleRange !== null || this.supportsNegative || this.hasOptions
    )
  },

  get submitLabel() {
    if (this.submitting) return this.$t('form.submitting')
    return this.$t(this.batchMode ? 'form.batchSubmit' : 'form.generate')
  },

  toggleAdvanced() {
    this.advancedOpen = !this.advancedOpen
  },

  // --- errors -------------------------------------------------------------------------------

  hasError(field) {
    return Boolean(this.errors[field])
  },

  errorText(field) {
    const error = this.errors[field]
    if (!error) return ''
    return error.text ?? this.$t(error.key, error.params)
  },

  clearError(field) {
    if (this.errors[field]) delete this.errors[field]
  },

  onPromptInput() {
    if (this.overLimit) {
      const key = this.isPromptList ? 'batch.lineTooLong' : 'errors.promptTooLong'
      this.errors.prompt = { key, params: { max: this.promptMax } }
    } else {
      this.clearError('prompt')
    }
  },

  validate() {
    const errors = {}
    if (this.prompt.trim() === '') errors.prompt = { key: 'errors.promptRequired' }
    else if (this.overLimit) errors.prompt = { key: 'errors.promptTooLong', params: { max: this.promptMax } }
    if (!this.model) errors.model = { key: 'errors.modelRequired' }
    this.validateReferences(errors)
    this.errors = errors
    return Object.keys(errors).length === 0
  },

  showServerErrors(error) {
    const errors = {}
    for (const { field, reason } of error.errors) {
      const shownAs = FIELD_OF[field] ?? field
      if (SHOWN_FIELDS.includes(shownAs)) errors[shownAs] = { text: reason }
    }
    // Advanced fields live in a collapsed section; open it so their errors are seen.
    if (errors.seed || errors.steps || errors.scale || errors.negative_prompt) this.advancedOpen = true
    this.errors = errors
    this.$nextTick(() => this.focusFirstError())
    // Anything the form cannot place next to a field still has to reach the user.
    const shown = Object.keys(errors).length
    if (shown === 0 || error.errors.some(({ field }) => !SHOWN_FIELDS.includes(FIELD_OF[field] ?? field))) {
      this.toastError(error)
    }
  },

  toastError(error) {
    reportApiError(error)
  },

  // --- re-use parameters ----------------------------------------------------------------------

  // x-on:restyle-image.window: the lightbox's Restyle. The image becomes a reference of a model that
  // edits by instruction (the current one if it takes references, else Seedream 5.0 Lite, 4.x or
  // Jimeng 4.6, whichever is available first), and the prompt waits for the instruction.
  async restyle(event) {
    const image = event.detail?.image
    if (!image) return
    if (!this.acceptsReferences) {
      const preferred = ['seedream_5.0_lite', 'seedream_4.0', 'seedream_4.5', 'jimeng_4.6']
      const target =
        preferred.map((id) => this.models.find((model) => model.id === id && model.available)).find(Boolean) ??
        this.models.find((model) => model.available && model.reference_images)
      if (!target) {
        this.$store.toasts.error({ key: 'editor.noRestyleModel' })
        return
      }
      this.modelId = target.id
      await this.$nextTick()
    }
    try {
      const blob = await (await fetch(image.url)).blob()
      const type = blob.type === 'image/jpeg' ? 'image/jpeg' : 'image/png'
      await this.addFiles([new File([blob], type === 'image/jpeg' ? 'image.jpg' : 'image.png', { type })])
    } catch {
      this.$store.toasts.error({ key: 'editor.failed' })
      return
    }
    this.batchMode = false
    this.$store.toasts.info({ key: 'editor.restyleReady' })
    this.$nextTick(() => {
      const prompt = this.$root.querySelector('#prompt')
      prompt?.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
      prompt?.focus()
    })
  },

  // Whether the form can take this model: an edit's model (upscale, cut-out, …) is not one it offers.
  generates(modelId) {
    return this.models.some((model) => model.id === modelId)
  },

  // x-on:reuse-task.window: a history entry asks to become the form's starting point.
  reuse(event) {
    const task = event.detail
    if (!task) return
    if (!this.generates(task.model)) {
      this.$store.toasts.error({ key: 'errors.reuseModel', params: { model: task.model } })
      return
    }
    this.prompt = task.prompt ?? ''
    this.batchMode = false
    this.applyParams(task)
    this.$nextTick(() => {
      const prompt = this.$root.querySelector('#prompt')
      prompt?.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
      prompt?.focus()
    })
    this.$store.toasts.info({ key: 'form.reused' })
  },

  // A task's or preset's parameters (not its prompt): switches the model first if needed.
  applyParams(params) {
    if (!this.generates(params.model)) {
      this.$store.toasts.error({ key: 'errors.reuseModel', params: { model: params.model } })
      return
    }
    this.errors = {}
    if (params.model === this.modelId) {
      this.applyTask(params)
    } else {
      this.pendingReuse = params
      this.modelId = params.model
    }
  },

  // Everything but prompt and model; values the model does not take stay unset.
  applyTask(task) {
    if (task.width && task.height) this.size = sizeKey(task.width, task.height)
    this.numImages = Math.min(Math.max(1, task.num_images ?? 1), this.maxImages)
    if (this.supportsSeed) this.seed = task.seed == null ? '' : String(task.seed)
    if (this.stepsRange && task.steps != null) this.steps = task.steps
    if (this.scaleRange && task.scale != null) this.scale = task.scale
    if (this.supportsNegative) this.negativePrompt = task.negative_prompt ?? ''
    this.sequential = this.makesSets && Boolean(task.sequential)
    for (const option of this.modelOptions) {
      if (typeof task.options?.[option.name] === 'boolean') this.options[option.name] = task.options[option.name]
    }
    // Seed and the rest live in the collapsed section: open it so the user sees what was filled in.
    if (this.hasAdvanced) this.advancedOpen = true
  },

  // --- submit ---------------------------------------------------------------------------------

  payload() {
    const [width, height] = this.size.split('x').map(Number)
    const model = this.model
    const payload = {
      prompt: this.prompt.trim(),
      model: model.id,
      width,
      height,
      num_images: Number(this.numImages),
    }
    if (this.supportsSeed) payload.seed = this.seed === '' ? null : Number(this.seed)
    if (this.stepsRange) payload.steps = Number(this.steps)
    if (this.scaleRange) payload.scale = Number(this.scale)
    if (this.supportsNegative) payload.negative_prompt = this.negativePrompt.trim()
    if (this.hasOptions) {
      payload.options = Object.fromEntries(this.modelOptions.map((option) => [option.name, this.optionOn(option)]))
    }
    if (this.makesSets && this.sequential) payload.sequential = true
    return { ...payload, ...this.referencePayload() }
  },

  // A fresh key per click; the same key again only for the same form after an unanswered attempt.
  idempotencyKey(body) {
    if (this.unconfirmed?.body === body) return this.unconfirmed.key
    return randomId()
  },

  async submit() {
    if (this.submitting) return
    if (this.batchMode) return this.submitBatch()
    if (!this.validate()) {
      this.$nextTick(() => this.focusFirstError())
      return
    }
    this.submitting = true
    const payload = this.payload()
    const body = JSON.stringify(payload)
    const key = this.idempotencyKey(body)
    try {
      await this.$store.tasks.submit(payload, key)
      this.unconfirmed = null
    } catch (error) {
      // Did the server make the task? After a lost connection or a gateway error we cannot tell.
      this.unconfirmed = error.status === 0 || error.status >= 500 ? { key, body } : null
      // A problem with a code (the monthly quota) is about the request as a whole: a toast in the
      // user's language says it better than the server's English reason next to one field.
      if (error.errors?.length && !error.code) this.showServerErrors(error)
      else this.toastError(error)
    } finally {
      this.submitting = false
    }
  },

  focusFirstError() {
    const invalid = this.$root.querySelector('[aria-invalid="true"]')
    invalid?.focus()
  },
})

export default () => mix(form(), batch(), presets(), references())
