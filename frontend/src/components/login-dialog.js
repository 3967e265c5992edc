// Login dialog: opens when any API call answers 401 (login is on and there is no session), logs in with
// POST /api/v1/auth/login and reloads the page, so that every store and the event stream start over
// with the new session cookie.
import { login } from '../api/auth.js'
import { UNAUTHORIZED_EVENT } from '../api/http.js'

export default () => ({
  open: false,
  username: '',
  password: '',
  busy: false,
  errorKey: '',

  init() {
    window.addEventListener(UNAUTHORIZED_EVENT, () => this.show())
    // Back from the provider without a session (refused, or the account is disabled): say so.
    if (new URLSearchParams(window.location.search).get('sso') === 'failed') this.errorKey = 'auth.ssoFailed'
  },

  get hasSso() {
    const me = this.$store.session.me
    return Boolean(me && me.sso)
  },

  show() {
    if (this.open) return
    this.open = true
    this.$nextTick(() => this.$refs.username?.focus())
  },

  get hasError() {
    return this.errorKey !== ''
  },

  get errorText() {
    return this.errorKey ? this.$t(this.errorKey) : ''
  },

  get submitLabel() {
    return this.$t(this.busy ? 'auth.submitting' : 'auth.submit')
  },

  async submit() {
    if (this.busy) return
    if (!this.username.trim() || !this.password) {
      this.errorKey = 'auth.required'
      return
    }
    this.busy = true
    this.errorKey = ''
    try {
      await login(this.username.trim(), this.password)
      window.location.reload()
    } catch (error) {
      this.errorKey = error.status === 401 ? 'auth.wrong' : error.status === 429 ? 'auth.tooMany' : 'auth.failed'
      this.password = ''
      this.busy = false
    }
  },
})
