import { request } from './http.js'

// → {username}; sets the session cookie. A wrong password is an ApiError with status 401.
export function login(username, password) {
  return request('/api/v1/auth/login', { method: 'POST', body: { username, password }, authPrompt: false })
}


// → {username, auth_enabled, role}: who is logged in (nothing asks for a login here: before one, the
// username and role are null).
export function currentUser() {
  return request('/api/v1/auth/me', { authPrompt: false })
}
