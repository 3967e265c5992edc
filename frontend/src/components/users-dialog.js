import { createUser, listUsers, updateUser } from '../api/users.js'
import { trapFocus } from '../focus.js'
import { reportApiError } from '../stores/toasts.js'

const ROLES = ['member', 'admin']

// The accounts page (admins, login on): every account with its images and estimated cost this month;
// create one, disable or enable it, set its monthly image quota, give it a new password. Opened from
// the top bar's people button. The server checks every field; its field errors are shown here.
export default () => ({
  users: [],
  loading: false,
  roles: ROLES,
  newUsername: '',
  newPassword: '',
  newRole: 'member',
  newQuota: '',
  errors: {},
  // Typed but not yet saved, per account id.
  quotas: {},
  passwords: {},
  models: {},

  init() {
    this.$watch('$store.ui.dialog', (dialog) => {
      if (dialog === 'users') this.opened()
    })
  },

  get isOpen() {
    return this.$store.ui.dialog === 'users'
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

  async load() {
    this.loading = true
    try {
      this.users = await listUsers()
    } catch (error) {
      reportApiError(error, 'users.loadFailed')
    } finally {
      this.loading = false
    }
  },

  // --- one account ------------------------------------------------------------------------------

  roleText(user) {
    return this.$t(`users.roles.${user.role}`)
  },

  monthText(user) {
    const month = user.month ?? {}
    return this.$t('users.monthFigures', { images: month.images ?? 0, cost: Number(month.estimated_cost_cny ?? 0).toFixed(2) })
  },

  quotaValue(user) {
    return this.quotas[user.user_id] ?? (user.monthly_image_quota == null ? '' : String(user.monthly_image_quota))
  },

  isDisabled(user) {
    return Boolean(user.disabled)
  },

  // The environment's admin is managed by .env; nobody changes their own role or state here either.
  isFixed(user) {
    return Boolean(user.managed_by_environment) || user.username === this.$store.session.me?.username
  },

  stateText(user) {
    return this.$t(user.disabled ? 'users.enable' : 'users.disable')
  },

  rowId(user, what) {
    return `user-${what}-${user.username}`
  },

  setQuota(user, event) {
    this.quotas = { ...this.quotas, [user.user_id]: event.target.value }
  },

  setPassword(user, event) {
    this.passwords = { ...this.passwords, [user.user_id]: event.target.value }
  },

  passwordValue(user) {
    return this.passwords[user.user_id] ?? ''
  },

  // The models an account may use, as model ids separated by commas; empty: every model.
  modelsValue(user) {
    return this.models[user.user_id] ?? (user.allowed_models ?? []).join(', ')
  },

  setModels(user, event) {
    this.models = { ...this.models, [user.user_id]: event.target.value }
  },

  get modelIds() {
    return this.$store.system.models.map((model) => model.id)
  },

  async saveModels(user) {
    const allowed = String(this.modelsValue(user))
      .split(/[\s,，]+/)
      .filter((id) => id !== '')
    if (await this.change(user, { allowed_models: allowed }, 'users.modelsSaved')) {
      const { [user.user_id]: _, ...rest } = this.models
      this.models = rest
    }
  },

  async saveQuota(user) {
    const typed = String(this.quotaValue(user)).trim()
    // Empty or 0: no limit of its own (the account-wide quota still applies).
    await this.change(user, { monthly_image_quota: typed === '' ? 0 : Number(typed) }, 'users.quotaSaved')
  },

  async savePassword(user) {
    const password = this.passwordValue(user)
    if (!password) return
    if (await this.change(user, { password }, 'users.passwordSaved')) this.passwords = { ...this.passwords, [user.user_id]: '' }
  },

  async toggleDisabled(user) {
    await this.change(user, { disabled: !user.disabled }, user.disabled ? 'users.enabled' : 'users.disabled')
  },

  async change(user, fields, doneKey) {
    try {
      const changed = await updateUser(user.user_id, fields)
      this.users = this.users.map((u) => (u.user_id === changed.user_id ? changed : u))
      const { [user.user_id]: _, ...rest } = this.quotas
      this.quotas = rest
      this.$store.toasts.info({ key: doneKey, params: { name: user.username } })
      return true
    } catch (error) {
      reportApiError(error, 'users.saveFailed')
      return false
    }
  },

  // --- a new account ----------------------------------------------------------------------------

  hasError(field) {
    return Boolean(this.errors[field])
  },

  errorText(field) {
    return this.errors[field] ?? ''
  },

  async create() {
    const fields = { username: this.newUsername.trim(), password: this.newPassword, role: this.newRole }
    if (String(this.newQuota).trim() !== '') fields.monthly_image_quota = Number(this.newQuota)
    this.errors = {}
    try {
      const created = await createUser(fields)
      this.users = [...this.users, created]
      this.newUsername = ''
      this.newPassword = ''
      this.newQuota = ''
      this.$store.toasts.info({ key: 'users.created', params: { name: created.username } })
    } catch (error) {
      if (error.status === 400 && error.errors.length > 0) {
        this.errors = Object.fromEntries(error.errors.map((e) => [e.field, e.reason]))
      } else {
        reportApiError(error, 'users.saveFailed')
      }
    }
  },

  roleLabel(role) {
    return this.$t(`users.roles.${role}`)
  },
})
