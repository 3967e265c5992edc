import { localize } from '../i18n/index.js'
import { deleteCredentials, getSettings, patchRuntime, putCredentials, testCredentials } from '../api/settings.js'
import { backupUrl, createBackup, listBackups } from '../api/backups.js'
import { trapFocus } from '../focus.js'
import { formatBytes } from './status-bar.js'
import { reportApiError } from '../stores/toasts.js'

// Runtime fields the dialog edits, as the API names them; numbers all.
const LIMITS = ['volc_qps', 'volc_concurrency', 'ark_rpm', 'ark_concurrency', 'max_concurrent_tasks', 'max_history_days', 'max_storage_gb', 'monthly_image_quota']
const DEFAULTS = ['default_num_images']

function emptySecrets() {
  return { access_key: '', secret_key: '', api_key: '' }
}

function runtimeForm(runtime) {
  const form = {}
  for (const field of [...LIMITS, ...DEFAULTS]) form[field] = runtime?.[field] ?? ''
  form.default_model = runtime?.default_model ?? ''
  form.default_size =
    runtime?.default_width && runtime?.default_height ? `${runtime.default_width}x${runtime.default_height}` : ''
  return form
}

// The gear in the top bar. Theme and language are this browser's own (localStorage); everything else
// is the server's, from /api/v1/settings, and hidden when the server answers 404. Secrets go one way:
// the inputs start empty every time, are cleared after sending, and the server shows only a mask.
export default () => ({
  // null: loading; false: the server has no settings; else the GET shape
  server: null,
  loadFailed: false,
  form: runtimeForm(null),
  secrets: emptySecrets(),
  errors: {},
  saving: '',
  // provider → {ok, text} after a connection test
  tests: {},
  limitFields: LIMITS,
  // The newest backups in BACKUP_DIR; the last one made here and what it holds, or why it failed.
  backups: [],
  backupResult: '',
  backupError: '',

  init() {
    this.$watch('$store.ui.dialog', (dialog) => {
      if (dialog === 'settings') this.opened()
    })
  },

  get isOpen() {
    return this.$store.ui.dialog === 'settings'
  },

  async opened() {
    this.secrets = emptySecrets()
    this.errors = {}
    this.tests = {}
    this.loadFailed = false
    this.$nextTick(() => this.$refs.closeButton?.focus())
    this.backupResult = ''
    this.backupError = ''
    this.loadBackups()
    try {
      this.show(await getSettings())
    } catch (error) {
      if (error.status === 404) this.server = false
      else {
        this.server = null
        this.loadFailed = true
      }
    }
  },

  show(settings) {
    this.server = settings
    this.form = runtimeForm(settings.runtime)
    this.$store.system.serverSettings = settings
  },

  close() {
    this.$store.ui.closeDialog()
  },

  trap(event) {
    trapFocus(event, this.$refs.dialog)
  },

  // --- appearance (local) -----------------------------------------------------------------------

  get theme() {
    return this.$store.settings.theme
  },

  get lang() {
    return this.$store.settings.lang
  },

  setTheme(event) {
    this.$store.settings.setTheme(event.target.value)
  },

  setLang(event) {
    this.$store.settings.setLang(event.target.value)
  },

  isTheme(theme) {
    return this.theme === theme
  },

  isLang(lang) {
    return this.lang === lang
  },

  // --- server state -----------------------------------------------------------------------------

  get hasServer() {
    return Boolean(this.server)
  },

  get isLoading() {
    return this.server === null && !this.loadFailed
  },

  get serverMissing() {
    return this.server === false
  },

  get modeText() {
    return this.server ? this.$t('settings.modeLine', { mode: this.$t(`settings.mode.${this.server.mode}`) }) : ''
  },

  credential(provider) {
    return this.server?.credentials?.[provider] ?? null
  },

  credentialStatus(provider) {
    const credential = this.credential(provider)
    if (!credential?.configured) return this.$t('settings.notConfigured')
    const source = this.$t(`settings.source.${credential.source ?? 'env'}`)
    return this.$t('settings.configured', { source })
  },

  maskedKey(provider) {
    const credential = this.credential(provider)
    return credential?.access_key_masked ?? credential?.api_key_masked ?? ''
  },

  hasMaskedKey(provider) {
    return this.maskedKey(provider) !== ''
  },

  // Only keys stored through this dialog can be removed here; keys from the environment stay.
  canRemove(provider) {
    return this.credential(provider)?.source === 'stored'
  },

  isSaving(what) {
    return this.saving === what
  },

  hasError(field) {
    return Boolean(this.errors[field])
  },

  errorText(field) {
    return this.errors[field] ?? ''
  },

  showErrors(error) {
    const errors = {}
    for (const { field, reason } of error.errors ?? []) errors[field.replace(/^runtime\./, '')] = reason
    this.errors = errors
    if (Object.keys(errors).length === 0) reportApiError(error)
  },

  // --- credentials ------------------------------------------------------------------------------

  credentialBody(provider) {
    return provider === 'ark'
      ? { api_key: this.secrets.api_key.trim() }
      : { access_key: this.secrets.access_key.trim(), secret_key: this.secrets.secret_key.trim() }
  },

  canSaveCredentials(provider) {
    return Object.values(this.credentialBody(provider)).every((value) => value !== '')
  },

  async saveCredentials(provider) {
    if (!this.canSaveCredentials(provider) || this.saving) return
    this.saving = `credentials-${provider}`
    this.errors = {}
    try {
      this.show(await putCredentials(provider, this.credentialBody(provider)))
      this.$store.toasts.info({ key: 'settings.credentialsSaved' })
      // The mode may have changed (demo → live): the status bar and the model list follow.
      this.$store.system.refresh()
    } catch (error) {
      this.showErrors(error)
    } finally {
      // Never kept: not in the inputs, not anywhere else in the page.
      this.secrets = emptySecrets()
      this.saving = ''
    }
  },

  // --- backups ---------------------------------------------------------------------------------

  async loadBackups() {
    try {
      this.backups = (await listBackups()).backups.slice(0, 5)
    } catch {
      // Shown when asked for: a 403 (login off, another machine) says why on the button's press.
      this.backups = []
    }
  },

  async backUp() {
    if (this.saving) return
    this.saving = 'backup'
    this.backupResult = ''
    this.backupError = ''
    try {
      const made = await createBackup()
      this.backupResult = this.$t('settings.backups.made', {
        name: made.name,
        size: formatBytes(made.bytes),
        images: made.counts?.images ?? 0,
        uploads: made.counts?.uploads ?? 0,
      })
      await this.loadBackups()
    } catch (error) {
      this.backupError = error.detail || this.$t('errors.http', { status: error.status })
    } finally {
      this.saving = ''
    }
  },

  backupUrl(backup) {
    return backupUrl(backup.name)
  },

  backupDetails(backup) {
    return `${formatBytes(backup.bytes)} · ${new Date(backup.created_at).toLocaleString(this.lang)}`
  },

  async removeCredentials(provider) {
    if (this.saving) return
    this.saving = `remove-${provider}`
    try {
      this.show(await deleteCredentials(provider))
      this.$store.toasts.info({ key: 'settings.credentialsRemoved' })
      this.$store.system.refresh()
    } catch (error) {
      reportApiError(error)
    } finally {
      this.saving = ''
    }
  },

  async test(provider) {
    if (this.saving) return
    this.saving = `test-${provider}`
    delete this.tests[provider]
    try {
      const result = await testCredentials(provider)
      const message = localize(result.message, this.lang)
      const text = result.ok
        ? this.$t('settings.testOk', { ms: result.latency_ms ?? '?' })
        : this.$t('settings.testFailed', { message: message || result.code || '' })
      this.tests[provider] = { ok: Boolean(result.ok), text }
    } catch (error) {
      this.tests[provider] = { ok: false, text: error.detail || this.$t('errors.http', { status: error.status }) }
    } finally {
      this.saving = ''
    }
  },

  hasTest(provider) {
    return Boolean(this.tests[provider])
  },

  testText(provider) {
    return this.tests[provider]?.text ?? ''
  },

  testClass(provider) {
    return this.tests[provider]?.ok ? 'text-emerald-700 dark:text-emerald-300' : 'text-rose-700 dark:text-rose-300'
  },

  // --- runtime ----------------------------------------------------------------------------------

  limitLabel(field) {
    return this.$t(`settings.fields.${field}`)
  },

  limitId(field) {
    return `settings-${field}`
  },

  limitValue(field) {
    return this.form[field]
  },

  setLimit(event) {
    this.form[event.target.dataset.field] = event.target.value
  },

  limitErrorId(field) {
    return `settings-${field}-error`
  },

  get models() {
    return this.$store.system.generationModels
  },

  modelName(model) {
    return localize(model.name, this.lang)
  },

  isDefaultModel(model) {
    return model.id === this.form.default_model
  },

  get sizeChoices() {
    const model = this.$store.system.model(this.form.default_model)
    return (model?.size?.presets ?? []).map((preset) => ({
      key: `${preset.width}x${preset.height}`,
      label: `${preset.label} · ${preset.width}×${preset.height}`,
    }))
  },

  isDefaultSize(choice) {
    return choice.key === this.form.default_size
  },

  // Only what changed goes to the server: a PATCH of untouched fields could undo someone else's edit.
  runtimeChanges() {
    const current = runtimeForm(this.server?.runtime)
    const changes = {}
    for (const field of [...LIMITS, ...DEFAULTS]) {
      if (String(this.form[field]) === String(current[field])) continue
      changes[field] = this.form[field] === '' ? null : Number(this.form[field])
    }
    if (this.form.default_model !== current.default_model) changes.default_model = this.form.default_model || null
    if (this.form.default_size !== current.default_size) {
      const [width, height] = this.form.default_size.split('x').map(Number)
      changes.default_width = width || null
      changes.default_height = height || null
    }
    return changes
  },

  async saveRuntime() {
    if (this.saving) return
    const changes = this.runtimeChanges()
    if (Object.keys(changes).length === 0) {
      this.$store.toasts.info({ key: 'settings.nothingChanged' })
      return
    }
    this.saving = 'runtime'
    this.errors = {}
    try {
      this.show(await patchRuntime(changes))
      this.$store.toasts.info({ key: 'settings.saved' })
    } catch (error) {
      this.showErrors(error)
    } finally {
      this.saving = ''
    }
  },
})
