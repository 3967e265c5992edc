import { getQueue, pauseQueue, resumeQueue } from '../api/queue.js'
import { reportApiError } from './toasts.js'

// The server's queue: paused or not, how many tasks run and wait, and the waiting ids in the order
// they will start. queue.changed brings the counts and the pause at once; it names no task, while a
// start, a cancel or a move shifts the place of every task behind it (and only a moved task gets an
// event of its own), so each change is followed by one GET /api/v1/queue for the order.
function outagesOf(state) {
  return Array.isArray(state.outages) ? state.outages.filter((o) => o && typeof o.provider === 'string') : []
}

export default {
  // null until the first answer; false when the server has no queue endpoint (404): no controls then.
  available: null,
  paused: false,
  running: 0,
  concurrency: 0,
  waiting: 0,
  order: [],
  // Providers the server found unreachable: [{provider, since, next_check_at}]. Their tasks wait, keeping
  // their places, and go on by themselves once a check is answered.
  outages: [],
  // A pause or resume on its way, so a second click does nothing.
  switching: false,
  // One GET at a time; changes during it ask for one more afterwards, never a loop.
  loading: false,
  loadAgain: false,

  async load() {
    if (this.loading) {
      this.loadAgain = true
      return
    }
    this.loading = true
    try {
      this.apply(await getQueue())
    } catch (error) {
      // 404: a server without queue control. Anything else: the next change or reconnect tries again.
      if (error.status === 404) this.available = false
    } finally {
      this.loading = false
    }
    if (this.loadAgain) {
      this.loadAgain = false
      this.load()
    }
  },

  // GET /api/v1/queue and the pause/resume answers: {paused, running, concurrency, waiting: [ids]}.
  apply(state) {
    if (!state || !Array.isArray(state.waiting)) return
    this.available = true
    this.paused = Boolean(state.paused)
    this.running = Number(state.running) || 0
    this.concurrency = Number(state.concurrency) || 0
    this.order = state.waiting.map(String)
    this.waiting = this.order.length
    this.outages = outagesOf(state)
  },

  // queue.changed: {waiting, running, concurrency, paused, outages}, with waiting a count.
  onChanged(summary) {
    if (!summary || typeof summary !== 'object') return
    this.available = true
    this.outages = outagesOf(summary)
    this.paused = Boolean(summary.paused)
    this.running = Number(summary.running) || 0
    this.concurrency = Number(summary.concurrency) || 0
    this.waiting = Number(summary.waiting) || 0
    if (this.waiting === 0) this.order = []
    else this.load()
  },

  // 1 for the task that starts next; null when it is not waiting. The order read from the server wins
  // over the task's own queue_position, which is only as fresh as the task's last event.
  position(task) {
    const index = this.order.indexOf(task.task_id)
    if (index !== -1) return index + 1
    return task.status === 'pending' && Number.isInteger(task.queue_position) ? task.queue_position : null
  },

  // The server answered a move-to-front: show the new order now; the queue.changed that follows confirms it.
  movedToFront(taskId) {
    this.order = [taskId, ...this.order.filter((id) => id !== taskId)]
  },

  async togglePause() {
    if (this.switching) return
    this.switching = true
    try {
      this.apply(await (this.paused ? resumeQueue() : pauseQueue()))
    } catch (error) {
      reportApiError(error)
    } finally {
      this.switching = false
    }
  },
}
