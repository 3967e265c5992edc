import Alpine from '@alpinejs/csp'
import { createTask } from '../api/tasks.js'
import { followTask, isTerminal } from '../sse.js'

// The tasks started in this browser session, newest first. Nothing is persisted: the page is a
// workspace, not a history browser.
export default {
  items: [],

  // Throws the ApiError from the server so the form can show field errors next to its inputs.
  async submit(payload) {
    const created = await createTask(payload)
    this.items.unshift({
      model: payload.model,
      prompt: payload.prompt,
      width: payload.width,
      height: payload.height,
      num_images: payload.num_images ?? 1,
      progress: 0,
      stage: 'queued',
      images: [],
      error: null,
      completed_at: null,
      ...created,
    })
    followTask(created.task_id, {
      onUpdate: (task) => this.update(task),
      onLost: () => Alpine.store('toasts').error({ key: 'errors.streamLost' }),
    })
    return created
  },

  update(data) {
    const task = this.items.find((item) => item.task_id === data.task_id)
    if (!task) return
    const wasTerminal = isTerminal(task)
    Object.assign(task, data)
    if (wasTerminal || !isTerminal(task)) return
    // Quota changes when a task finishes; refresh now instead of waiting for the next poll.
    Alpine.store('system').refresh()
    if (task.status === 'failed') this.reportFailure(task)
  },

  reportFailure(task) {
    const error = task.error ?? {}
    const lang = Alpine.store('settings').lang
    const text = (lang === 'en' ? error.message_en : error.message_zh) || error.message
    const code = error.code ? ` [${error.code}]` : ''
    Alpine.store('toasts').error(text ? { text: text + code } : { key: 'errors.taskFailed' })
  },

  get active() {
    return this.items.filter((task) => !isTerminal(task))
  },
}
