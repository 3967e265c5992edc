import Alpine from '@alpinejs/csp'
import { deleteHistory, listHistory } from '../api/history.js'
import { deleteTask, setFavourite } from '../api/tasks.js'
import { isTerminal } from '../event-stream.js'
import { reportApiError } from './toasts.js'

const PAGE_SIZE = 20
const FINISHED_EVENTS = new Set(['task.completed', 'task.failed', 'task.cancelled'])

// A yyyy-mm-dd from a date input as the instant that day starts, in the browser's time zone;
// nextDay for the exclusive end of a "to" date.
function dayStart(day, nextDay = false) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return ''
  const date = new Date(`${day}T00:00:00`)
  if (nextDay) date.setDate(date.getDate() + 1)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString()
}

function byNewest(a, b) {
  return String(b.created_at ?? '').localeCompare(String(a.created_at ?? ''))
}

// Finished tasks from GET /api/v1/history, page by page, filtered by a prompt search and the
// favourites switch. The event stream keeps loaded entries current and adds newly finished tasks,
// so the list never needs re-polling.
export default {
  items: [],
  total: 0,
  // true when the server stopped counting: total is then a lower bound and more pages may follow.
  totalCapped: false,
  page: 0,
  query: '',
  favouritesOnly: false,
  // '' = every model
  model: '',
  // yyyy-mm-dd from the date inputs, '' = open
  from: '',
  to: '',
  // image_id whose edits alone are listed (opened from the lightbox), '' = all
  family: '',
  loading: false,
  // Set when the last load failed, so the panel can offer to try again instead of looking empty.
  failed: false,
  // Answers to an outdated request (the search changed meanwhile) are dropped.
  generation: 0,
  // Finish events that came while no page was loaded yet: applied once the first page is there (the
  // page may have been read before the task finished).
  early: [],

  init() {
    this.reload()
  },

  get hasMore() {
    return this.page === 0 || this.totalCapped || this.items.length < this.total
  },

  get isEmpty() {
    return !this.loading && !this.failed && this.page > 0 && this.items.length === 0
  },

  get isFiltered() {
    return this.query !== '' || this.favouritesOnly || this.model !== '' || this.from !== '' || this.to !== '' || this.family !== ''
  },

  get fromInstant() {
    return dayStart(this.from)
  },

  get toInstant() {
    return dayStart(this.to, true)
  },

  reload() {
    this.generation++
    this.items = []
    this.total = 0
    this.totalCapped = false
    this.page = 0
    this.loading = false
    return this.loadMore()
  },

  async loadMore() {
    if (this.loading || !this.hasMore) return
    const generation = this.generation
    this.loading = true
    this.failed = false
    try {
      const body = await listHistory({
        page: this.page + 1,
        limit: PAGE_SIZE,
        q: this.query,
        favourite: this.favouritesOnly,
        model: this.model,
        from: this.fromInstant,
        to: this.toInstant,
        sourceImageId: this.family,
      })
      if (generation !== this.generation) return
      // Offsets shift when tasks finish or are deleted between pages; skip what we already show.
      const shown = new Set(this.items.map((task) => task.task_id))
      this.items.push(...(body?.items ?? []).filter((task) => !shown.has(task.task_id)))
      this.total = Math.max(body?.total ?? 0, this.items.length)
      this.totalCapped = body?.total_capped === true
      this.page = body?.page ?? this.page + 1
      const early = this.early
      this.early = []
      early.forEach(([type, data]) => this.onTask(type, data))
    } catch (error) {
      if (generation !== this.generation) return
      this.failed = true
      reportApiError(error, 'errors.historyLoad')
    } finally {
      if (generation === this.generation) this.loading = false
    }
  },

  search(query) {
    const trimmed = query.trim()
    if (trimmed === this.query) return
    this.query = trimmed
    this.reload()
  },

  // The lightbox's "edits of this image": the list shows that image's family until cleared.
  showFamily(imageId) {
    this.family = imageId ?? ''
    this.reload()
  },

  setFavouritesOnly(on) {
    this.favouritesOnly = on
    this.reload()
  },

  setFilters({ model = this.model, from = this.from, to = this.to }) {
    if (model === this.model && from === this.from && to === this.to) return
    this.model = model
    this.from = from
    this.to = to
    this.reload()
  },

  // Also applied to what is shown: a server that does not know from/to yet still gets the dates right
  // on the pages it sends.
  withinDates(task) {
    const created = new Date(task.created_at ?? '')
    if (Number.isNaN(created.getTime())) return true
    if (this.from && created < new Date(this.fromInstant)) return false
    if (this.to && created >= new Date(this.toInstant)) return false
    return true
  },

  find(taskId) {
    return this.items.find((task) => task.task_id === taskId)
  },

  // Our own idea of the server's filter, for tasks that finish while the list is open.
  matches(task) {
    if (this.family && task.source_image_id !== this.family) return false
    if (this.favouritesOnly && !task.favourite) return false
    if (this.model && task.model !== this.model) return false
    if (!this.withinDates(task)) return false
    return !this.query || String(task.prompt ?? '').toLowerCase().includes(this.query.toLowerCase())
  },

  onTask(type, data) {
    const entry = this.find(data.task_id)
    if (entry) {
      // A retried task is back in the queue; it returns here when it finishes again.
      if (isTerminal(data)) Object.assign(entry, data)
      if (!isTerminal(data) || !this.matches(entry)) this.forget(data.task_id)
      return
    }
    if (!FINISHED_EVENTS.has(type) || !this.matches(data)) return
    if (this.page === 0) {
      this.early.push([type, data])
      return
    }
    this.items.push({ ...data })
    this.items.sort(byNewest)
    this.total++
    // Keep only what was loaded plus the newcomer: an entry sorted past the loaded pages would
    // otherwise appear again when the next page is fetched.
    if (this.hasMore && this.items[this.items.length - 1].task_id === data.task_id) {
      this.items.pop()
    }
  },

  forget(taskId) {
    const index = this.items.findIndex((task) => task.task_id === taskId)
    if (index === -1) return
    this.items.splice(index, 1)
    this.total = Math.max(0, this.total - 1)
  },

  async toggleFavourite(entry) {
    const wanted = !entry.favourite
    try {
      const task = await setFavourite(entry.task_id, wanted)
      Object.assign(entry, task)
      const known = Alpine.store('tasks').find(entry.task_id)
      if (known) Object.assign(known, task)
      if (this.favouritesOnly && !task.favourite) this.forget(entry.task_id)
    } catch (error) {
      reportApiError(error)
      if (error.status === 404) this.forget(entry.task_id)
    }
  },

  // POST /history/delete: finished tasks go with their files, running ones are skipped (and said so).
  // → the server's answer, or null when the request failed (already reported).
  async removeMany(taskIds) {
    try {
      const result = await deleteHistory(taskIds)
      const skipped = new Set(result?.skipped ?? [])
      for (const id of taskIds) {
        if (skipped.has(id)) continue
        this.forget(id)
        Alpine.store('tasks').forget(id)
      }
      const toasts = Alpine.store('toasts')
      toasts.info({ key: 'history.deletedMany', params: { n: result?.deleted ?? 0 } })
      if (skipped.size) toasts.error({ key: 'history.skippedMany', params: { n: skipped.size } })
      return result
    } catch (error) {
      reportApiError(error)
      return null
    }
  },

  async remove(entry) {
    try {
      await deleteTask(entry.task_id)
      this.forget(entry.task_id)
      Alpine.store('tasks').forget(entry.task_id)
    } catch (error) {
      reportApiError(error)
      if (error.status === 404) this.forget(entry.task_id)
    }
  },
}
