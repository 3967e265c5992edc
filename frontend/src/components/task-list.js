import { taskView } from './task-view.js'

// Right column, top: the live queue. Pending and running tasks with progress and Cancel; failed and
// cancelled ones (of this page view) with their error, Retry, and a button to clear them away. Waiting
// tasks show their place in line and can be moved to the front; the whole queue can be paused.
export default () => ({
  ...taskView,
  // task_id → true while its cancel, retry or move request is on its way, so a second click does nothing.
  busy: {},
  // Said to screen readers after a pause, resume or move: the visible change is elsewhere on the card.
  notice: '',

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

  // --- the whole queue --------------------------------------------------------------------------

  // Hidden until the server has said how its queue is (and for good on a server without queue control).
  // Pausing the whole queue is the admins' (a member's login does not see the button).
  get hasQueueControl() {
    return this.$store.queue.available === true && !this.$store.session.isMember
  },

  get isPaused() {
    return this.$store.queue.paused
  },

  get isSwitching() {
    return this.$store.queue.switching
  },

  get pauseText() {
    return this.$t(this.isPaused ? 'queue.resume' : 'queue.pause')
  },

  get pauseLabel() {
    return this.$t(this.isPaused ? 'queue.resumeLabel' : 'queue.pauseLabel')
  },

  get pauseHint() {
    return this.$t(this.isPaused ? 'queue.resumeHint' : 'queue.pauseHint')
  },

  async togglePause() {
    await this.$store.queue.togglePause()
    this.notice = this.$t(this.isPaused ? 'queue.pausedNotice' : 'queue.resumedNotice')
  },

  // --- one waiting task ---------------------------------------------------------------------------

  position(task) {
    return task.status === 'pending' ? this.$store.queue.position(task) : null
  },

  isWaiting(task) {
    return this.position(task) !== null
  },

  // The first in line has nowhere to go; its button stays (aria-disabled) so focus is not lost.
  isFirst(task) {
    return this.position(task) === 1
  },

  // Under the progress bar: a waiting task's place in line (and that nothing starts while paused).
  waitText(task) {
    const n = this.position(task)
    if (n === null) return this.stageText(task)
    return this.$t(this.isPaused ? 'queue.positionPaused' : 'queue.position', { n })
  },

  async moveToFront(task) {
    if (this.isFirst(task)) return
    await this.guard(task, () => this.$store.tasks.moveToFront(task))
    if (this.isFirst(task)) this.notice = this.$t('queue.movedNotice', { prompt: task.prompt ?? '' })
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
