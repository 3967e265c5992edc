import { taskView } from './task-view.js'

// Right column, top: the live queue. Pending and running tasks with progress and Cancel; failed and
// cancelled ones (of this page view) with their error, Retry, and a button to clear them away.
export default () => ({
  ...taskView,
  // task_id → true while its cancel or retry request is on its way, so a second click does nothing.
  busy: {},

  get tasks() {
    return this.$store.tasks.queue
  },

  get isEmpty() {
    return this.tasks.length === 0
  },

  get countText() {
    return this.$t('queue.count', { n: this.$store.tasks.active.length })
  },

  get hasActive() {
    return this.$store.tasks.active.length > 0
  },

  taskMeta(task) {
    const size = task.width && task.height ? ` · ${task.width}×${task.height}` : ''
    return `${this.modelName(task)} · ${this.$t('tasks.images', { n: task.num_images ?? 1 })}${size}`
  },

  // Read out by screen readers: status and stage of the newest task, not every percent.
  get announcement() {
    const task = this.tasks[0]
    if (!task) return ''
    return this.isRunning(task) ? `${this.statusText(task)}: ${this.stageText(task)}` : this.statusText(task)
  },

  isBusy(task) {
    return Boolean(this.busy[task.task_id])
  },

  async cancel(task) {
    await this.guard(task, () => this.$store.tasks.cancel(task))
  },

  async retry(task) {
    await this.guard(task, () => this.$store.tasks.retry(task))
  },

  dismiss(task) {
    this.$store.tasks.dismiss(task)
  },

  async guard(task, action) {
    if (this.isBusy(task)) return
    this.busy[task.task_id] = true
    try {
      await action()
    } finally {
      delete this.busy[task.task_id]
    }
  },
})
