import Alpine from '@alpinejs/csp'
import { getSystemInfo } from '../api/system.js'
import { listModels } from '../api/models.js'
import { getSettings } from '../api/settings.js'

// Often enough for the status bar to notice a backend restart, rare enough to be free.
const REFRESH_MS = 30_000
// Until the first answer with models arrives, try again soon: the form is useless without them.
const FIRST_RETRY_MS = 1_000

// What the server says about itself: mode, quota, version, and the model catalogue.
export default {
  info: null,
  models: [],
  // null until the first answer (or failure) so the status bar can say "checking" instead of "offline".
  reachable: null,

  retryDelay: FIRST_RETRY_MS,
  // GET /api/v1/settings once per page view (the settings dialog refreshes it): runtime defaults for the
  // form. null until known; serverSettings false when the server has no settings endpoint (404).
  serverSettings: null,

  init() {
    this.refresh()
    this.loadSettings()
  },

  async loadSettings() {
    try {
      this.serverSettings = await getSettings()
    } catch (error) {
      // 404: a server without the feature; anything else: try again when the dialog opens.
      // 403: a member's login (settings are the admins').
      this.serverSettings = error.status === 404 || error.status === 403 ? false : null
    }
    return this.serverSettings
  },

  // The status bar's quota between two refreshes: from usage.changed events and the usage panel.
  setQuota(quota) {
    if (this.info && Number.isFinite(quota?.used)) this.info = { ...this.info, quota: { used: quota.used, limit: quota.limit ?? null } }
  },

  get defaults() {
    return this.serverSettings?.runtime ?? null
  },

  // Self-scheduling rather than a fixed interval: after a failure (or while the models are still
  // missing) the next try comes after 1, 2, 4 … s, up to the normal 30 s.
  async refresh() {
    try {
      this.info = await getSystemInfo()
      this.reachable = true
      if (this.models.length === 0) await this.loadModels()
    } catch {
      this.reachable = false
    }
    const settled = this.reachable && this.models.length > 0
    this.retryDelay = settled ? FIRST_RETRY_MS : Math.min(REFRESH_MS, this.retryDelay * 2)
    setTimeout(() => this.refresh(), settled ? REFRESH_MS : this.retryDelay)
  },

  async loadModels() {
    try {
      this.models = await listModels()
    } catch {
      Alpine.store('toasts').error({ key: 'errors.modelsLoad' })
    }
  },

  // loading | live | demo | offline
  get connection() {
    if (this.reachable === null) return 'loading'
    if (!this.reachable || !this.info) return 'offline'
    if (this.info.mode === 'demo') return 'demo'
    return this.info.api_connected ? 'live' : 'offline'
  },

  get isDemo() {
    return this.info?.mode === 'demo'
  },

  model(id) {
    return this.models.find((model) => model.id === id) ?? null
  },

  // The models the generator offers: editing models (upscale, cut-out, …) are reached from an image.
  get generationModels() {
    return this.models.filter((model) => (model.operations ?? ['generate']).includes('generate'))
  },
}
