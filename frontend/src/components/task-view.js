import { localize } from '../i18n/index.js'

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

  timeText(task) {
    const date = new Date(task.created_at)
    if (Number.isNaN(date.getTime())) return ''
    return date.toLocaleTimeString(this.$store.settings.lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
  },
}
