import { localize } from '../i18n/index.js'

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

// 1536 → "1.5 KB": binary steps, one decimal below 10 of a unit.
export function formatBytes(bytes) {
  let value = Math.max(0, Number(bytes) || 0)
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit > 0 && value < 10 ? 1 : 0
  return `${value.toFixed(digits)} ${UNITS[unit]}`
}

// Bottom bar and the top-bar mode badge: connection state, quota, storage and version from the system store,
// and the queue's state from the queue store.
export default () => ({
  // The clock of the outage countdown. It ticks all the time, so it is current when an outage begins;
  // only the outage text reads it.
  now: Date.now(),
  clock: null,

  init() {
    this.clock = setInterval(() => {
      this.now = Date.now()
    }, 1000)
  },

  destroy() {
    clearInterval(this.clock)
  },

  get connection() {
    return this.$store.system.connection
  },

  get connectionText() {
    return this.$t(`statusbar.${this.connection}`)
  },

  get modeText() {
    return this.$t(`mode.${this.connection}`)
  },

  // The task event stream is down; the browser or the tasks store is reconnecting.
  get streamDown() {
    return this.$store.tasks.offline
  },

  get isDemo() {
    return this.$store.system.isDemo
  },

  get quota() {
    return this.$store.system.info?.quota ?? null
  },

  get hasQuota() {
    return this.quota !== null
  },

  get quotaExhausted() {
    const quota = this.quota
    return Boolean(quota?.limit) && quota.used >= quota.limit
  },

  get quotaText() {
    const quota = this.quota
    if (!quota) return ''
    // No MONTHLY_IMAGE_QUOTA: the month's count, not a fraction of infinity.
    const text =
      quota.limit == null
        ? this.$t('statusbar.quotaUnlimited', { used: quota.used ?? 0 })
        : this.$t('statusbar.quota', { used: quota.used ?? 0, limit: quota.limit })
    return this.quotaExhausted ? `${text} · ${this.$t('statusbar.quotaExhausted')}` : text
  },

  // The quota is also the way into the usage panel; its name keeps the visible text first.
  get usageLabel() {
    return this.$t('usage.openFromQuota', { quota: this.quotaText })
  },

  openUsage() {
    this.$store.ui.openDialog('usage')
  },

  get quotaClass() {
    return this.quotaExhausted ? 'font-medium text-rose-700 dark:text-rose-300' : ''
  },

  get quotaStyle() {
    const quota = this.quota
    const ratio = quota?.limit ? Math.min(1, quota.used / quota.limit) : 0
    return { width: `${Math.round(ratio * 100)}%` }
  },

  // Live mode whose connection check failed: the server says why, in both languages.
  get apiErrorText() {
    const info = this.$store.system.info
    if (!info || info.mode === 'demo' || info.api_connected !== false || !info.api_error) return ''
    const error = info.api_error
    const message = localize(error.message, this.$store.settings.lang) || error.code || ''
    return message ? this.$t('statusbar.apiError', { message }) : ''
  },

  get hasApiError() {
    return this.apiErrorText !== ''
  },

  // The queue in one line, from queue.changed: what runs, what waits, and whether it is paused.
  get hasQueue() {
    return this.$store.queue.available === true
  },

  get queuePaused() {
    return this.$store.queue.paused
  },

  get queueText() {
    const { running, concurrency, waiting } = this.$store.queue
    return this.$t(this.queuePaused ? 'statusbar.queuePaused' : 'statusbar.queue', { running, concurrency, waiting })
  },

  get queueClass() {
    return this.queuePaused ? 'font-medium text-amber-800 dark:text-amber-300' : ''
  },

  // A provider found unreachable: its tasks wait, and the server asks it again at next_check_at.
  get outage() {
    return this.$store.queue.outages[0] ?? null
  },

  get hasOutage() {
    return this.outage !== null
  },

  get outageProvider() {
    return this.outage?.provider ?? ''
  },

  get outageText() {
    const outage = this.outage
    if (!outage) return ''
    const { running, waiting } = this.$store.queue
    const provider = this.$t(`statusbar.providers.${outage.provider}`)
    const seconds = Math.ceil((Date.parse(outage.next_check_at) - this.now) / 1000)
    const params = { provider, count: running + waiting, seconds }
    return this.$t(Number.isFinite(seconds) && seconds > 0 ? 'statusbar.outage' : 'statusbar.outageChecking', params)
  },

  get storage() {
    return this.$store.system.info?.storage ?? null
  },

  get hasStorage() {
    return this.storage !== null
  },

  get storageText() {
    const storage = this.storage
    if (!storage) return ''
    const params = { images: storage.images ?? 0, size: formatBytes(storage.bytes) }
    if (storage.limit_bytes == null) return this.$t('statusbar.storage', params)
    return this.$t('statusbar.storageLimit', { ...params, limit: formatBytes(storage.limit_bytes) })
  },

  // The database file against the live data in it (the rest is reused, and given back by a compaction
  // at a start where that is worth it), on hover.
  get storageTitle() {
    const storage = this.storage
    if (storage?.database_bytes == null) return ''
    return this.$t('statusbar.database', { file: formatBytes(storage.database_bytes), data: formatBytes(storage.database_data_bytes) })
  },

  get storageClass() {
    const storage = this.storage
    return storage?.limit_bytes && storage.bytes >= storage.limit_bytes * 0.9 ? 'font-medium text-amber-800 dark:text-amber-300' : ''
  },

  get versionText() {
    const version = this.$store.system.info?.version
    return version ? this.$t('statusbar.version', { version }) : ''
  },

  dotClass() {
    return {
      loading: 'bg-slate-400 animate-pulse',
      live: 'bg-emerald-500',
      demo: 'bg-amber-500',
      offline: 'bg-rose-500',
    }[this.connection]
  },

  badgeClass() {
    return {
      loading: 'border-slate-300 text-slate-600 dark:border-zinc-600 dark:text-zinc-300',
      live: 'border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-300',
      demo: 'border-amber-300 bg-amber-50 text-amber-800 dark:border-amber-400/40 dark:bg-amber-400/10 dark:text-amber-300',
      offline: 'border-rose-300 bg-rose-50 text-rose-800 dark:border-rose-500/40 dark:bg-rose-500/10 dark:text-rose-300',
    }[this.connection]
  },
})
