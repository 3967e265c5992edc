import { currentUser } from '../api/auth.js'

// Who uses the page: with login on, an admin or a member (GET /api/v1/auth/me once per page view; a
// login reloads the page). Members do not see what only admins may do (the server refuses it anyway).
export default {
  me: null,

  init() {
    this.load()
  },

  async load() {
    try {
      this.me = await currentUser()
    } catch {
      this.me = null
    }
  },

  // Login on and a member: pause, resume and the accounts are the admins'.
  get isMember() {
    return Boolean(this.me && this.me.auth_enabled && this.me.role === 'member')
  },

  // Login on and an admin: the accounts page is theirs (with login off there are no accounts).
  get managesUsers() {
    return Boolean(this.me && this.me.auth_enabled && this.me.role === 'admin')
  },
}
