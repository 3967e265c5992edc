import { taskView } from './task-view.js'

// Right column: this session's tasks with status and progress.
export default () => ({
  ...taskView,

  get tasks() {
    return this.$store.tasks.items
  },

  get isEmpty() {
    return this.tasks.length === 0
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

  // Static class lists, so Tailwind finds them when it scans this file.
  statusClass(task) {
    return {
      pending: 'bg-slate-100 text-slate-700 dark:bg-zinc-700/60 dark:text-zinc-200',
      running: 'bg-accent-soft text-accent-strong',
      completed: 'bg-emerald-50 text-emerald-700 dark:bg-emerald-500/15 dark:text-emerald-300',
      failed: 'bg-rose-50 text-rose-700 dark:bg-rose-500/15 dark:text-rose-300',
    }[task.status] ?? ''
  },
})
