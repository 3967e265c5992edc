import { batchZipUrl } from '../api/images.js'
import { createBatch } from '../api/tasks.js'

const ESTIMATE_DELAY_MS = 400
const MAX_TASKS = 100

function isFinished(task) {
  return ['completed', 'failed', 'cancelled'].includes(task.status)
}

// "12, 13 42" → [12, 13, 42]; anything that is not a whole number makes the list invalid (null).
function parseSeeds(text) {
  const parts = text.split(/[\s,，]+/).filter(Boolean)
  if (parts.some((part) => !/^-?\d+$/.test(part))) return null
  return parts.map(Number)
}

// Batch mode for the generator form: either one prompt per line, or the one prompt over seeds × sizes.
// The server's dry run (POST /generate/batch with dry_run) counts the tasks and prices them before
// anything is submitted; its answer is shown under the form.
export default () => ({
  batchMode: false,
  // 'prompts' | 'matrix'
  batchKind: 'prompts',
  batchSeeds: '',
  // size key → true for the sizes chosen in matrix mode
  batchSizes: {},
  estimate: null,
  estimating: false,
  estimateTimer: null,
  // Answers to an outdated dry run (the form changed meanwhile) are dropped.
  estimateGeneration: 0,
  // {batch_id, task_ids} of the last batch submitted from this page, for its ZIP link.
  lastBatch: null,

  initBatch() {
    this.$watch('batchSignature', () => this.scheduleEstimate())
  },

  toggleBatch() {
    this.batchMode = !this.batchMode
    this.errors = {}
    this.estimate = null
    if (this.batchMode) this.scheduleEstimate()
  },

  setBatchKind(event) {
    this.batchKind = event.target.value
    this.errors = {}
  },

  isBatchKind(kind) {
    return this.batchKind === kind
  },

  get isMatrix() {
    return this.batchMode && this.batchKind === 'matrix'
  },

  get isPromptList() {
    return this.batchMode && this.batchKind === 'prompts'
  },

  get promptLines() {
    return this.prompt
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
  },

  get promptLabel() {
    return this.$t(this.isPromptList ? 'batch.promptsLabel' : 'form.prompt')
  },

  isBatchSize(preset) {
    return Boolean(this.batchSizes[preset.key])
  },

  toggleBatchSize(preset) {
    this.batchSizes[preset.key] = !this.batchSizes[preset.key]
    this.clearError('batch')
  },

  chosenSizes() {
    const keys = Object.keys(this.batchSizes).filter((key) => this.batchSizes[key])
    return keys.map((key) => {
      const [width, height] = key.split('x').map(Number)
      return { width, height }
    })
  },

  batchPayload() {
    const { prompt, seed, width, height, ...shared } = this.payload()
    if (this.batchKind === 'prompts') return { ...shared, width, height, prompts: this.promptLines }
    const body = { ...shared, prompt }
    const seeds = parseSeeds(this.batchSeeds) ?? []
    if (seeds.length) body.seeds = seeds
    else if (seed != null) body.seeds = [seed]
    const sizes = this.chosenSizes()
    if (sizes.length) body.sizes = sizes
    else Object.assign(body, { width, height })
    return body
  },

  // Changes whenever the batch would; watched to refresh the estimate.
  get batchSignature() {
    if (!this.batchMode || !this.model) return ''
    return JSON.stringify([this.batchKind, this.prompt, this.batchSeeds, this.batchSizes, this.modelId, this.size, this.numImages])
  },

  validateBatch() {
    const errors = {}
    if (!this.model) errors.model = { key: 'errors.modelRequired' }
    if (this.batchKind === 'prompts') {
      const lines = this.promptLines
      if (lines.length === 0) errors.prompt = { key: 'errors.promptRequired' }
      else if (lines.length > MAX_TASKS) errors.batch = { key: 'batch.tooMany', params: { max: MAX_TASKS } }
      else if (this.promptMax && lines.some((line) => [...line].length > this.promptMax)) {
        errors.prompt = { key: 'batch.lineTooLong', params: { max: this.promptMax } }
      }
    } else {
      if (this.prompt.trim() === '') errors.prompt = { key: 'errors.promptRequired' }
      else if (this.overLimit) errors.prompt = { key: 'errors.promptTooLong', params: { max: this.promptMax } }
      if (parseSeeds(this.batchSeeds) === null) errors.batch = { key: 'batch.badSeeds' }
    }
    this.errors = errors
    return Object.keys(errors).length === 0
  },

  scheduleEstimate() {
    clearTimeout(this.estimateTimer)
    if (!this.batchMode) return
    this.estimateTimer = setTimeout(() => this.refreshEstimate(), ESTIMATE_DELAY_MS)
  },

  // Quietly: a batch still being typed is often invalid; the estimate just waits for a valid one.
  async refreshEstimate() {
    const generation = ++this.estimateGeneration
    const ready = this.model && (this.batchKind === 'prompts' ? this.promptLines.length > 0 : this.prompt.trim() !== '')
    if (!ready || parseSeeds(this.batchSeeds) === null) {
      this.estimate = null
      return
    }
    this.estimating = true
    try {
      const plan = await createBatch(this.batchPayload(), { dryRun: true })
      if (generation === this.estimateGeneration) this.estimate = plan
    } catch (error) {
      if (generation === this.estimateGeneration) this.estimate = { invalid: true, reason: error.errors?.[0]?.reason ?? error.detail }
    } finally {
      if (generation === this.estimateGeneration) this.estimating = false
    }
  },

  get hasEstimate() {
    return this.batchMode && this.estimate !== null
  },

  get estimateText() {
    const plan = this.estimate
    if (!plan) return ''
    if (plan.invalid) return this.$t('batch.estimateInvalid', { reason: plan.reason ?? '' })
    const cost = Number(plan.estimated_cost_cny ?? 0).toLocaleString(this.lang, { style: 'currency', currency: 'CNY' })
    return this.$t('batch.estimate', { tasks: plan.tasks, images: plan.images, cost })
  },

  get estimateClass() {
    return this.estimate?.invalid ? 'text-rose-700 dark:text-rose-300' : 'text-ink'
  },

  get batchSwitchClass() {
    return this.batchMode ? 'bg-accent' : 'bg-line'
  },

  get batchKnobClass() {
    return this.batchMode ? 'translate-x-4' : 'translate-x-0'
  },

  // Field names from the server look like tasks[3].width or prompts: shown on the form's field when
  // there is one, else beside the batch controls.
  batchErrorField(field) {
    const inner = field.replace(/^tasks\[\d+\]\./, '')
    if (['prompts', 'seeds', 'sizes'].includes(inner)) return 'batch'
    return inner
  },

  async submitBatch() {
    if (!this.validateBatch()) {
      this.$nextTick(() => this.focusFirstError())
      return
    }
    this.submitting = true
    try {
      const plan = await createBatch(this.batchPayload())
      this.lastBatch = plan.batch_id ? { batch_id: plan.batch_id, task_ids: plan.task_ids ?? [] } : null
      // The tasks arrive through the event stream (task.created), like any other.
      this.$store.toasts.info({ key: 'batch.submitted', params: { n: plan.tasks } })
    } catch (error) {
      if (error.errors?.length && !error.code) {
        this.showServerErrors({ ...error, errors: error.errors.map((e) => ({ ...e, field: this.batchErrorField(e.field) })) })
      } else {
        this.toastError(error)
      }
    } finally {
      this.submitting = false
    }
  },

  // The batch's ZIP is offered once every task of it has finished and at least one has images
  // (the server answers 404 for a batch without images).
  get batchZipReady() {
    const batch = this.lastBatch
    if (!batch || batch.task_ids.length === 0) return false
    const tasks = batch.task_ids.map((id) => this.$store.tasks.find(id))
    return tasks.every((task) => task && isFinished(task)) && tasks.some((task) => task.images?.length)
  },

  get batchZipHref() {
    return this.lastBatch ? batchZipUrl(this.lastBatch.batch_id) : ''
  },
})
