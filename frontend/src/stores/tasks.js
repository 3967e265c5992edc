import Alpine from '@alpinejs/csp'
import { cancelTask, createEdit, createTask, deleteTask, getTask, listTasks, moveTaskToFront, retryTask, setFavourite } from '../api/tasks.js'
import { errorKind } from '../error-kinds.js'
import { translate } from '../i18n/index.js'
import { isTerminal, openEventStream } from '../event-stream.js'
import { reportApiError } from './toasts.js'

// Enough to hold every task that can still be running; older finished ones live in the history.
const RECENT_LIMIT = 50
const TERMINAL_EVENTS = new Set(['task.completed', 'task.failed', 'task.cancelled'])

function byNewest(a, b) {
  return String(b.created_at ?? '').localeCompare(String(a.created_at ?? ''))
}

// Every task the page knows about, newest first, kept current by the one event stream.
// Two flags are ours, not the server's:
//   inSession  seen while pending or running, or created while the page was open: the centre grid
//              shows these; tasks that had already finished when the page loaded belong to the history
//   dismissed  a failed or cancelled task the user has cleared from the queue
export default {
  items: [],
  // connecting | open | down
  stream: 'connecting',
  // Events that arrive while the task list is being reloaded, re-applied on top of the (older) list.
  replay: null,
  reloadAgain: false,

  init() {
    openEventStream({
      onOpen: () => this.onStreamOpen(),
      onDown: () => (this.stream = 'down'),
      onTask: (type, task) => this.onEvent(type, task),
      onResync: () => this.resync(),
      onUsage: (quota) => Alpine.store('system').setQuota(quota),
      onQueue: (summary) => Alpine.store('queue').onChanged(summary),
    })
  },

  // --- the event stream -----------------------------------------------------------------------

  onStreamOpen() {
    const reconnected = this.stream === 'down'
    this.stream = 'open'
    // Events may have been missed before this connection (or before the first one): reload.
    this.reload()
    Alpine.store('queue').load()
    if (reconnected) Alpine.store('history').reload()
  },

  resync() {
    this.reload()
    Alpine.store('queue').load()
    Alpine.store('history').reload()
  },

  onEvent(type, data) {
    this.replay?.push([type, data])
    if (type === 'task.deleted') {
      this.forget(data.task_id)
      Alpine.store('history').forget(data.task_id)
      return
    }
    const before = this.find(data.task_id)?.status
    const task = this.upsert(data, { created: type === 'task.created' })
    Alpine.store('history').onTask(type, data)
    if (!TERMINAL_EVENTS.has(type) || before === task.status) return
    // Quota changes when a task finishes; refresh now instead of waiting for the next check.
    Alpine.store('system').refresh()
    if (task.status === 'failed' && task.inSession) this.reportFailure(task)
  },

  // Reloads the newest tasks: on (re)connect and on resync. Never a loop: one request per occasion.
  async reload() {
    if (this.replay) {
      this.reloadAgain = true
      return
    }
    this.replay = []
    try {
      const { items = [] } = await listTasks({ limit: RECENT_LIMIT })
      items.forEach((task) => this.upsert(task))
      // A task that finished before this connection opened sent its event to nobody: the history
      // hears of it here (it ignores what it already shows or what its filters leave out).
      const history = Alpine.store('history')
      items.filter(isTerminal).forEach((task) => history.onTask(`task.${task.status}`, task))
      await this.settleUnlisted(new Set(items.map((task) => task.task_id)))
      // The list was read at some point during the request; events since then are newer.
      for (const [type, task] of this.replay) {
        if (type === 'task.deleted') this.forget(task.task_id)
        else this.upsert(task, { created: type === 'task.created' })
      }
    } catch (error) {
      reportApiError(error, 'errors.tasksLoad')
    } finally {
      this.replay = null
    }
    if (this.reloadAgain) {
      this.reloadAgain = false
      this.reload()
    }
  },

  // A task we think is still running but the list does not show has either dropped out of the newest
  // 50 or been deleted meanwhile: ask for it by id, so it does not sit in the queue for ever.
  async settleUnlisted(listed) {
    const stale = this.items.filter((task) => !isTerminal(task) && !listed.has(task.task_id))
    await Promise.all(
      stale.map((task) =>
        getTask(task.task_id).then(
          (fresh) => this.upsert(fresh),
          (error) => error.status === 404 && this.forget(task.task_id),
        ),
      ),
    )
  },

  // --- state ----------------------------------------------------------------------------------

  find(taskId) {
    return this.items.find((task) => task.task_id === taskId)
  },

  upsert(data, { created = false } = {}) {
    const active = created || !isTerminal(data)
    const task = this.find(data.task_id)
    if (task) {
      Object.assign(task, data)
      if (active) task.inSession = true
      if (!isTerminal(task)) task.dismissed = false
      return task
    }
    this.items.push({ inSession: active, dismissed: false, images: [], ...data })
    this.items.sort(byNewest)
    return this.find(data.task_id)
  },

  forget(taskId) {
    const index = this.items.findIndex((task) => task.task_id === taskId)
    if (index !== -1) this.items.splice(index, 1)
  },

  // --- actions --------------------------------------------------------------------------------

  // Throws the ApiError from the server so the form can show field errors next to its inputs.
  async submit(payload, idempotencyKey) {
    const created = await createTask(payload, { idempotencyKey })
    return this.track(created, {
      model: payload.model,
      prompt: payload.prompt,
      width: payload.width,
      height: payload.height,
      num_images: payload.num_images ?? 1,
    })
  },

  // An edit joins the grid like a generation; its card has the source's shape until the task is
  // read back with the size the edit will make.
  async submitEdit(payload, source) {
    const created = await createEdit(payload)
    return this.track(created, {
      operation: payload.operation,
      source_image_id: payload.source_image_id ?? null,
      prompt: payload.prompt ?? '',
      width: source?.width,
      height: source?.height,
      num_images: 1,
    })
  },

  // A task this page just created, shown at once. The task.created event may have been here first,
  // with more detail than the 202 answer: then it is only marked as this session's.
  track(created, fields) {
    const known = this.find(created.task_id)
    if (known) {
      known.inSession = true
      return created
    }
    this.upsert({ progress: 0, stage: 'queued', error: null, completed_at: null, ...fields, ...created }, { created: true })
    return created
  },

  async cancel(task) {
    await this.act(task, cancelTask)
  },

  async retry(task) {
    await this.act(task, retryTask)
  },

  // Only a waiting task can go first; the queue store shows the new order at once.
  async moveToFront(task) {
    if (await this.act(task, moveTaskToFront)) Alpine.store('queue').movedToFront(task.task_id)
  },

  dismiss(task) {
    task.dismissed = true
  },

  // Applies the server's answer at once; the stream will say the same a moment later. True when the
  // server did it.
  async act(task, call) {
    try {
      const fresh = await call(task.task_id)
      this.upsert(fresh)
      Alpine.store('history').onTask('task.progress', fresh)
      return true
    } catch (error) {
      reportApiError(error)
      if (error.status === 404) this.forget(task.task_id)
      return false
    }
  },

  reportFailure(task) {
    const error = task.error ?? {}
    const lang = Alpine.store('settings').lang
    const text = (lang === 'en' ? error.message_en : error.message_zh) || error.message
    const code = error.code ? ` [${error.code}]` : ''
    const kind = errorKind(error.code)
    const hint = kind ? ` ${translate(lang, `hints.${kind}`)}` : ''
    Alpine.store('toasts').error(text ? { text: text + code + hint } : { key: 'errors.taskFailed' })
  },

  // Star or unstar, from the lightbox; the history shows the same task, so it follows.
  async toggleFavourite(task) {
    try {
      const fresh = await setFavourite(task.task_id, !task.favourite)
      Object.assign(task, fresh)
      const entry = Alpine.store('history').find(task.task_id)
      if (entry) Object.assign(entry, fresh)
    } catch (error) {
      reportApiError(error)
    }
  },

  // Deletes the task with its images (the API has no single-image delete).
  async remove(task) {
    try {
      await deleteTask(task.task_id)
    } catch (error) {
      if (error.status !== 404) {
        reportApiError(error)
        return false
      }
    }
    this.forget(task.task_id)
    Alpine.store('history').forget(task.task_id)
    return true
  },

  // --- views ----------------------------------------------------------------------------------

  // The centre grid: this page view's tasks.
  get session() {
    return this.items.filter((task) => task.inSession)
  },

  // The right column's queue: what is waiting or running, and what failed or was cancelled under the
  // user's eyes until they retry or clear it.
  get queue() {
    return this.items.filter(
      (task) => !isTerminal(task) || (task.inSession && !task.dismissed && task.status !== 'completed'),
    )
  },

  get active() {
    return this.items.filter((task) => !isTerminal(task))
  },

  get offline() {
    return this.stream === 'down'
  },
}
