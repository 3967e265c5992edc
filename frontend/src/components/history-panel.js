import { batchZipUrl, taskZipUrl } from '../api/images.js'
import { localize } from '../i18n/index.js'
import { mix } from '../mix.js'
import { taskView } from './task-view.js'

// Right column, below the queue: finished tasks from the server, searchable, starrable, deletable,
// and re-usable as the form's starting point. Pages load as the end of the list scrolls into view.
const panel = () => ({
  query: '',
  filtersOpen: false,
  // The entry whose delete button was pressed once; a second, explicit button deletes it.
  confirmingId: null,
  busy: {},
  observer: null,
  // Bulk delete: selecting mode, task_id → true, and the one confirmation step.
  selecting: false,
  selected: {},
  confirmingBulk: false,
  bulkBusy: false,

  init() {
    // IntersectionObserver rather than a scroll listener: it also sees the sentinel when the column
    // itself is not the scrolling element (narrow screens scroll the page).
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && this.sentinelInView()) this.loadMore()
    })
    this.observer.observe(this.$refs.sentinel)
    // Pages also arrive without us asking (the first load, a new search): look again after each.
    this.$watch('$store.history.page', () => this.recheck())
  },

  destroy() {
    this.observer?.disconnect()
  },

  get history() {
    return this.$store.history
  },

  get entries() {
    return this.history.items.filter((entry) => this.history.withinDates(entry))
  },

  // --- filters: model and dates ----------------------------------------------------------------

  toggleFilters() {
    this.filtersOpen = !this.filtersOpen
  },

  get filterCount() {
    return [this.history.model, this.history.from, this.history.to].filter(Boolean).length
  },

  get filterButtonText() {
    return this.filterCount ? this.$t('history.filtersActive', { n: this.filterCount }) : this.$t('history.filters')
  },

  get filterModel() {
    return this.history.model
  },

  get filterFrom() {
    return this.history.from
  },

  get filterTo() {
    return this.history.to
  },

  get models() {
    return this.$store.system.models
  },

  modelOptionName(model) {
    return localize(model.name, this.$store.settings.lang)
  },

  isFilterModel(model) {
    return model.id === this.history.model
  },

  setModel(event) {
    this.history.setFilters({ model: event.target.value })
  },

  setFrom(event) {
    this.history.setFilters({ from: event.target.value })
  },

  setTo(event) {
    this.history.setFilters({ to: event.target.value })
  },

  get showingFamily() {
    return this.history.family !== ''
  },

  clearFamily() {
    this.history.showFamily('')
  },

  clearFilters() {
    this.history.setFilters({ model: '', from: '', to: '' })
  },

  get totalText() {
    if (this.history.page === 0) return ''
    // total_capped: the server stopped counting, so the total is "at least".
    return this.$t(this.history.totalCapped ? 'history.totalAtLeast' : 'history.total', { n: this.history.total })
  },

  get showLoadMore() {
    return this.history.page > 0 && this.history.hasMore && !this.history.loading
  },

  get isLoading() {
    return this.history.loading
  },

  // Empty as shown: the date filter may hide every entry of the pages loaded so far.
  get isEmpty() {
    return this.history.isEmpty || (this.history.page > 0 && !this.history.loading && !this.history.failed && this.entries.length === 0)
  },

  get emptyText() {
    return this.$t(this.history.isFiltered ? 'history.noMatches' : 'history.empty')
  },

  get isEnd() {
    return this.history.page > 0 && !this.history.hasMore && this.entries.length > 0
  },

  get favouritesOnly() {
    return this.history.favouritesOnly
  },

  get favouritesFilterClass() {
    return this.favouritesOnly ? 'border-amber-400 bg-amber-50 text-amber-800 dark:border-amber-400/50 dark:bg-amber-400/10 dark:text-amber-300' : ''
  },

  async loadMore() {
    await this.history.loadMore()
    this.recheck()
  },

  // An observer entry is measured a frame before it is delivered: a page that arrived in between may
  // have pushed the sentinel out of view already. Measure again before loading another page.
  sentinelInView() {
    const sentinel = this.$refs.sentinel.getBoundingClientRect()
    const column = this.$root.parentElement.getBoundingClientRect()
    return sentinel.top < Math.min(innerHeight, column.bottom) && sentinel.bottom > Math.max(0, column.top)
  },

  // The observer only reports changes: if the sentinel is still in view after a short page, nothing
  // would load the next one. Observing anew reports the current state once.
  recheck() {
    this.$nextTick(() => {
      if (!this.observer || !this.history.hasMore) return
      this.observer.unobserve(this.$refs.sentinel)
      this.observer.observe(this.$refs.sentinel)
    })
  },

  // Bound with .debounce in the template: one request when typing pauses, not one per key.
  search() {
    this.history.search(this.query)
  },

  toggleFavouritesOnly() {
    this.history.setFavouritesOnly(!this.favouritesOnly)
  },

  // --- selection and bulk delete ----------------------------------------------------------------

  get hasEntries() {
    return this.entries.length > 0
  },

  toggleSelecting() {
    this.selecting = !this.selecting
    this.selected = {}
    this.confirmingBulk = false
  },

  get selectLabel() {
    return this.$t(this.selecting ? 'history.selectDone' : 'history.select')
  },

  // Only finished tasks can go (the server skips running ones); history entries are all finished,
  // but a retried entry is briefly running before it leaves the list.
  isSelectable(entry) {
    return !this.isRunning(entry)
  },

  isSelected(entry) {
    return Boolean(this.selected[entry.task_id])
  },

  toggleSelected(entry) {
    if (this.selected[entry.task_id]) delete this.selected[entry.task_id]
    else if (this.isSelectable(entry)) this.selected[entry.task_id] = true
    this.confirmingBulk = false
  },

  get selectedIds() {
    // Only entries still shown: one deleted elsewhere drops out of the selection.
    return this.entries.map((entry) => entry.task_id).filter((id) => this.selected[id])
  },

  get selectedText() {
    return this.$t('history.selected', { n: this.selectedIds.length })
  },

  get bulkDisabled() {
    return this.selectedIds.length === 0 || this.bulkBusy
  },

  get confirmBulkText() {
    return this.$t('history.confirmDeleteSelected', { n: this.selectedIds.length })
  },

  askDeleteSelected() {
    if (this.bulkDisabled) return
    this.confirmingBulk = true
    this.$nextTick(() => this.$refs.confirmBulk?.focus())
  },

  keepSelected() {
    this.confirmingBulk = false
  },

  async deleteSelected() {
    const ids = this.selectedIds
    if (ids.length === 0 || this.bulkBusy) return
    this.bulkBusy = true
    try {
      const result = await this.history.removeMany(ids)
      if (result) {
        this.selecting = false
        this.selected = {}
      }
    } finally {
      this.bulkBusy = false
      this.confirmingBulk = false
    }
  },

  // --- one entry ------------------------------------------------------------------------------

  // The lightbox (lightbox.js) listens for this on the window: the two components share no state.
  openEntry(entry) {
    this.$dispatch('open-entry', entry)
  },

  zipUrl(entry) {
    return taskZipUrl(entry.task_id)
  },

  // Any task submitted in a batch carries its batch_id, so the whole batch's ZIP is one click
  // away from each of them, not only right after submitting it.
  inBatch(entry) {
    return Boolean(entry.batch_id)
  },

  batchZipUrl(entry) {
    return entry.batch_id ? batchZipUrl(entry.batch_id) : ''
  },

  thumbnail(entry) {
    return entry.images?.[0]?.thumbnail_url ?? ''
  },

  hasThumbnail(entry) {
    return this.thumbnail(entry) !== ''
  },

  entryMeta(entry) {
    return `${this.modelName(entry)} · ${this.dateText(entry)}`
  },

  dateText(entry) {
    const date = new Date(entry.created_at)
    if (Number.isNaN(date.getTime())) return ''
    return date.toLocaleString(this.$store.settings.lang, {
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    })
  },

  isCompleted(entry) {
    return entry.status === 'completed'
  },

  isFavourite(entry) {
    return Boolean(entry.favourite)
  },

  favouriteLabel(entry) {
    return this.$t(entry.favourite ? 'history.unfavourite' : 'history.favourite')
  },

  favouriteClass(entry) {
    return entry.favourite ? 'text-amber-500 dark:text-amber-400' : 'text-muted'
  },

  starClass(entry) {
    return entry.favourite ? 'fill-current' : ''
  },

  isBusy(entry) {
    return Boolean(this.busy[entry.task_id])
  },

  async toggleFavourite(entry) {
    await this.guard(entry, () => this.history.toggleFavourite(entry))
  },

  reuse(entry) {
    // The form is a sibling component; a window event keeps the two from knowing each other.
    this.$dispatch('reuse-task', entry)
  },

  isConfirming(entry) {
    return this.confirmingId === entry.task_id
  },

  askDelete(entry) {
    this.confirmingId = entry.task_id
    this.focusIn(entry, '[data-confirm-delete]')
  },

  keep(entry) {
    this.confirmingId = null
    this.focusIn(entry, '[data-testid=history-delete]')
  },

  // Keyboard users stay where they were: on the confirm button, then back on the delete button.
  // The panel is looked up now: by the next tick a live refresh may have re-rendered the entry that
  // was clicked, and Alpine's $root of a detached element is undefined (a browser test hit that).
  focusIn(entry, selector) {
    const panel = this.$root
    this.$nextTick(() => {
      const item = panel?.querySelector(`[data-task-id="${CSS.escape(entry.task_id)}"]`)
      item?.querySelector(selector)?.focus()
    })
  },

  async confirmDelete(entry) {
    this.confirmingId = null
    await this.guard(entry, () => this.history.remove(entry))
  },

  async guard(entry, action) {
    if (this.isBusy(entry)) return
    this.busy[entry.task_id] = true
    try {
      await action()
    } finally {
      delete this.busy[entry.task_id]
    }
  },
})

export default () => mix(taskView, panel())
