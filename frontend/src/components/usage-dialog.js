import { getUsage } from '../api/usage.js'
import { trapFocus } from '../focus.js'
import { localize } from '../i18n/index.js'
import { reportApiError } from '../stores/toasts.js'

// The server refuses longer ranges (UsageController.MAX_DAYS); saying so before asking saves a 400.
const MAX_DAYS = 366
const DAY_MS = 86_400_000
const RANGES = ['month', 'last30', 'custom']

// Usage is counted per UTC day, so every date here is a UTC 'YYYY-MM-DD', never the browser's local day.
function utcDay(ms) {
  return new Date(ms).toISOString().slice(0, 10)
}

function dayMs(date) {
  return Date.parse(`${date}T00:00:00Z`)
}

function isDate(value) {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && Number.isFinite(dayMs(value))
}

// One entry per day of the range, gaps included (a day without rows is a zero bar, not a missing one):
// the server sends a row per day and model, and only for days with something in them.
function dailyTotals(usage) {
  const byDate = new Map()
  for (const row of usage.days ?? []) {
    const day = byDate.get(row.date) ?? { tasks: 0, images: 0, failed: 0, cost: 0 }
    day.tasks += row.tasks ?? 0
    day.images += row.images ?? 0
    day.failed += row.failed ?? 0
    day.cost += Number(row.estimated_cost_cny ?? 0)
    byDate.set(row.date, day)
  }
  const days = []
  const first = dayMs(usage.from)
  const last = dayMs(usage.to)
  if (!Number.isFinite(first) || !Number.isFinite(last)) return days
  for (let ms = first; ms <= last && days.length < MAX_DAYS; ms += DAY_MS) {
    const date = utcDay(ms)
    days.push({ date, tasks: 0, images: 0, failed: 0, cost: 0, ...byDate.get(date) })
  }
  return days
}

// The usage panel: what was generated in a range of UTC days, per day and per model, with the
// catalogue's estimated cost and this month's quota. Opened from the status bar's quota, the top bar
// and the U key. Reloaded every time it opens and whenever a task starts or ends while it is open.
export default () => ({
  range: 'month',
  ranges: RANGES,
  customFrom: '',
  customTo: '',
  usage: null,
  days: [],
  maxImages: 0,
  loading: false,
  errors: {},
  // Answers to an older request (the user changed the range meanwhile) are dropped.
  requestSeq: 0,

  init() {
    this.$watch('$store.ui.dialog', (dialog) => {
      if (dialog === 'usage') this.opened()
    })
    // Tasks keep running behind the dialog: when one ends (or starts), the figures are asked for again.
    this.$watch('$store.tasks.active.length', () => {
      if (this.isOpen) this.load()
    })
  },

  get isOpen() {
    return this.$store.ui.dialog === 'usage'
  },

  opened() {
    this.$nextTick(() => this.$refs.closeButton?.focus())
    this.load()
  },

  close() {
    this.$store.ui.closeDialog()
  },

  trap(event) {
    trapFocus(event, this.$refs.dialog)
  },

  // --- range ------------------------------------------------------------------------------------

  get today() {
    return utcDay(Date.now())
  },

  rangeLabel(range) {
    return this.$t(`usage.ranges.${range}`)
  },

  rangeId(range) {
    return `usage-range-${range}`
  },

  isRange(range) {
    return this.range === range
  },

  get isCustom() {
    return this.range === 'custom'
  },

  setRange(event) {
    this.range = event.target.value
    if (this.range === 'custom' && !this.customFrom) {
      // Start from what is on screen, so switching to "custom" changes nothing until a date does.
      this.customFrom = this.usage?.from ?? this.today
      this.customTo = this.usage?.to ?? this.today
      this.errors = {}
      return
    }
    this.load()
  },

  setFrom(event) {
    this.customFrom = event.target.value
    this.load()
  },

  setTo(event) {
    this.customTo = event.target.value
    this.load()
  },

  // {from, to} to ask for, or null after putting the reason in errors.
  query() {
    if (this.range === 'month') return {}
    if (this.range === 'last30') return { from: utcDay(Date.now() - 29 * DAY_MS), to: this.today }
    const { customFrom: from, customTo: to } = this
    if (!isDate(from)) this.errors = { from: this.$t('usage.dateRequired') }
    else if (!isDate(to)) this.errors = { to: this.$t('usage.dateRequired') }
    else if (to < from) this.errors = { to: this.$t('usage.toBeforeFrom') }
    else if ((dayMs(to) - dayMs(from)) / DAY_MS >= MAX_DAYS) this.errors = { to: this.$t('usage.tooLong', { max: MAX_DAYS }) }
    else return { from, to }
    return null
  },

  async load() {
    const seq = ++this.requestSeq
    this.errors = {}
    const query = this.query()
    if (!query) return
    this.loading = true
    try {
      const usage = await getUsage(query)
      if (seq !== this.requestSeq) return
      this.show(usage)
    } catch (error) {
      if (seq !== this.requestSeq) return
      // A 400 names the date it did not like: said next to that field, in the server's words.
      if (error.status === 400 && error.errors?.length) {
        this.errors = Object.fromEntries(error.errors.map((e) => [e.field, e.reason]))
      } else reportApiError(error, 'usage.loadFailed')
    } finally {
      if (seq === this.requestSeq) this.loading = false
    }
  },

  show(usage) {
    this.usage = usage
    this.$store.system.setQuota(usage.quota)
    this.days = dailyTotals(usage)
    this.maxImages = Math.max(0, ...this.days.map((day) => day.images))
  },

  hasError(field) {
    return Boolean(this.errors[field])
  },

  errorText(field) {
    return this.errors[field] ?? ''
  },

  // --- what is shown ----------------------------------------------------------------------------

  get isLoading() {
    return this.loading && this.usage === null
  },

  get hasUsage() {
    return this.usage !== null
  },

  get isEmpty() {
    return this.hasUsage && (this.usage.period?.tasks ?? 0) === 0
  },

  get hasData() {
    return this.hasUsage && !this.isEmpty
  },

  get rangeText() {
    if (!this.usage) return ''
    return this.$t('usage.rangeUtc', { from: this.usage.from, to: this.usage.to })
  },

  number(value) {
    return Number(value ?? 0).toLocaleString(this.$store.settings.lang)
  },

  money(value) {
    return `¥${Number(value ?? 0).toFixed(2)}`
  },

  get cards() {
    const period = this.usage?.period ?? {}
    return [
      { key: 'images', value: this.number(period.images) },
      { key: 'tasks', value: this.number(period.tasks) },
      { key: 'failed', value: this.number(period.failed) },
      { key: 'cost', value: this.money(this.usage?.estimated_cost_cny) },
    ]
  },

  cardLabel(card) {
    return this.$t(`usage.cards.${card.key}`)
  },

  cardTestId(card) {
    return `usage-card-${card.key}`
  },

  // Prices default to 0 until configured (catalog/models.json): a ¥0.00 total then needs saying why.
  get costNoteText() {
    const unpriced = (this.usage?.period?.images ?? 0) > 0 && Number(this.usage?.estimated_cost_cny ?? 0) === 0
    return this.$t(unpriced ? 'usage.costUnpriced' : 'usage.costNote')
  },

  get todayText() {
    const today = this.usage?.today ?? {}
    return this.$t('usage.today', { images: this.number(today.images), tasks: this.number(today.tasks) })
  },

  get monthText() {
    const month = this.usage?.month ?? {}
    return this.$t('usage.month', { images: this.number(month.images), tasks: this.number(month.tasks) })
  },

  // --- quota --------------------------------------------------------------------------------------

  get hasLimit() {
    return this.usage?.quota?.limit != null
  },

  get quotaText() {
    const quota = this.usage?.quota
    if (!quota) return ''
    if (quota.limit == null) return this.$t('usage.quotaNone', { used: this.number(quota.used) })
    return this.$t('usage.quota', { used: this.number(quota.used), limit: this.number(quota.limit) })
  },

  get quotaPercent() {
    const quota = this.usage?.quota
    if (!quota?.limit) return 0
    return Math.min(100, Math.round((quota.used / quota.limit) * 100))
  },

  get quotaStyle() {
    return { width: `${this.quotaPercent}%` }
  },

  get quotaBarClass() {
    if (this.quotaPercent >= 100) return 'bg-rose-600'
    return this.quotaPercent >= 90 ? 'bg-amber-500' : 'bg-accent'
  },

  // --- per day ------------------------------------------------------------------------------------

  barStyle(day) {
    const percent = this.maxImages > 0 ? (day.images / this.maxImages) * 100 : 0
    return { height: `${percent}%` }
  },

  // Failed-only days still get a visible stub, so "something happened here" shows on the chart.
  barClass(day) {
    if (day.images > 0) return 'bg-accent'
    return day.tasks > 0 ? 'min-h-0.5 bg-rose-500' : ''
  },

  barLabel(day) {
    return this.$t('usage.bar', {
      date: day.date,
      images: this.number(day.images),
      tasks: this.number(day.tasks),
      failed: this.number(day.failed),
      cost: this.money(day.cost),
    })
  },

  get peakText() {
    return this.$t('usage.chartPeak', { n: this.number(this.maxImages) })
  },

  get firstDay() {
    return this.days[0]?.date ?? ''
  },

  get lastDay() {
    return this.days.at(-1)?.date ?? ''
  },

  // The table alternative to the chart: days with something in them, newest first.
  get activeDays() {
    return this.days.filter((day) => day.tasks > 0 || day.images > 0).reverse()
  },

  // --- per model ----------------------------------------------------------------------------------

  get models() {
    return this.usage?.by_model ?? []
  },

  // The catalogue's name in the page's language; a model the catalogue no longer has shows its id.
  modelName(row) {
    const model = this.$store.system.model(row.model)
    return localize(model?.name, this.$store.settings.lang) || row.model
  },
})
