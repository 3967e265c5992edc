import { request } from './http.js'

// The studio's accounts (admins only): {user_id, username, role, monthly_image_quota, allowed_models,
// disabled, managed_by_environment, created_at, updated_at, month: {tasks, images, estimated_cost_cny}}.
export async function listUsers() {
  const body = await request('/api/v1/users')
  return Array.isArray(body?.items) ? body.items : []
}

// {username, password, role?, monthly_image_quota?} → the new account (201).
export function createUser(fields) {
  return request('/api/v1/users', { method: 'POST', body: fields })
}

// Changes the fields given: {password?, role?, monthly_image_quota? (0 removes it), disabled?}.
export function updateUser(userId, fields) {
  return request(`/api/v1/users/${encodeURIComponent(userId)}`, { method: 'PATCH', body: fields })
}
