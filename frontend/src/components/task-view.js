import { localize } from '../i18n/index.js'
import { errorKind } from '../error-kinds.js'

// Presentation helpers shared by the image grid and the task list (mixed into both components).
export const taskView = {
  statusText(task) {
    return this.$t(`status.${task.status}`)
  },

  stageText(task) {
    return task.stage ? this.$t(`stage.${task.stage}`) : ''
  },

  progressValue(task) {
    return Math.max(0, Math.min(100, Math.round(task.progress ?? 0)))
  },

  progressLabel(task) {
    return `${this.progressValue(task)}%`
  },

  // An object, not a string: Alpine applies objects through CSSOM (el.style.setProperty), which a
  // CSP without 'unsafe-inline' allows, while a string would become a blocked style="" attribute.
  progressStyle(task) {
    return { width: `${this.progressValue(task)}%` }
  },

  isRunning(task) {
    return task.status === 'pending' || task.status === 'running'
  },

  isFailed(task) {
    return task.status === 'failed'
  },

  isCancelled(task) {
    return task.status === 'cancelled'
  },

  // The server retries failed and cancelled tasks only (anything else is a 409).
  canRetry(task) {
    return task.status === 'failed' || task.status === 'cancelled'
  },

  modelName(task) {
    const model = this.$store.system.model(task.model)
    return model ? localize(model.name, this.$store.settings.lang) : task.model
  },

  errorMessage(task) {
    const error = task.error
    if (!error) return ''
    const lang = this.$store.settings.lang
    return (lang === 'en' ? error.message_en : error.message_zh) || error.message || ''
  },

  hasTaskError(task) {
    return Boolean(task.error)
  },

  // What to change, for failures the user can do something about (content audit, rate limits).
  errorHint(task) {
    const kind = errorKind(task.error?.code)
    return kind ? this.$t(`hints.${kind}`) : ''
  },

  hasErrorHint(task) {
    return errorKind(task.error?.code) !== null
  },

  // The code is what support and the VolcEngine docs know the error by; it is shown as it came.
  errorCode(task) {
    const code = task.error?.code
    return code ? this.$t('tasks.errorCode', { code }) : ''
  },

  // Static class lists, so Tailwind finds them when it scans this file.
  statusClass(task) {
    return {
      pending: 'bg-slate-100 text-slate-700 dark:bg-zinc-700/60 dark:text-zinc-200',
      running: 'bg-accent-soft text-accent-strong',
      completed: 'bg-emerald-50 text-emerald-700 dark:bg-emerald-500/15 dark:text-emerald-300',
      failed: 'bg-rose-50 text-rose-700 dark:bg-rose-500/15 dark:text-rose-300',
      cancelled: 'bg-amber-50 text-amber-800 dark:bg-amber-400/10 dark:text-amber-300',
    }[task.status] ?? ''
  },

  timeText(task) {
    const date = new Date(task.created_at)
    if (Number.isNaN(date.getTime())) return ''
    return date.toLocaleTimeString(this.$store.settings.lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
  },
}
