import { request } from './http.js'

const taskPath = (taskId) => `/api/v1/task/${encodeURIComponent(taskId)}`

// → 202 {task_id, status: "pending", created_at}; 400 problem+json with errors[] on invalid input.
// The server answers a repeated key with the same body by returning the task it already made, so a
// request that is sent twice (a retry after a lost response) still creates one task.
export function createTask(payload, { idempotencyKey } = {}) {
  const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}
  return request('/api/v1/generate', { method: 'POST', body: payload, headers })
}

export function getTask(taskId) {
  return request(taskPath(taskId))
}

// Newest first → {items: [task], next_cursor}
export function listTasks({ limit = 50 } = {}) {
  return request(`/api/v1/tasks?${new URLSearchParams({ limit: String(limit) })}`)
}

// Each of these answers with the task as it is now; 409 when its state does not allow the action.
export function cancelTask(taskId) {
  return request(`${taskPath(taskId)}/cancel`, { method: 'POST' })
}

export function retryTask(taskId) {
  return request(`${taskPath(taskId)}/retry`, { method: 'POST' })
}

// Puts a waiting task first in line; 409 when it is no longer waiting (it started, or was cancelled).
export function moveTaskToFront(taskId) {
  return request(`${taskPath(taskId)}/move-to-front`, { method: 'POST' })
}

export function setFavourite(taskId, favourite) {
  return request(`${taskPath(taskId)}/favourite`, { method: favourite ? 'PUT' : 'DELETE' })
}

// → 204
export function deleteTask(taskId) {
  return request(taskPath(taskId), { method: 'DELETE' })
}

// Several tasks at once: {prompts: [...]} or {prompt, seeds, sizes: [{width, height}]} plus the shared
// parameters. dry_run: true → 200 {tasks, images, estimated_cost_cny} and nothing is stored;
// otherwise 202 with batch_id and task_ids.
export function createBatch(payload, { dryRun = false } = {}) {
  return request('/api/v1/generate/batch', { method: 'POST', body: { ...payload, dry_run: dryRun } })
}

// An edit of a stored image or an upload: {source_image_id | source_upload_id, operation, model?,
// prompt?, mask_upload_id?, expand?} → 202 {task_id, status, created_at}; 400 names the field.
export function createEdit(payload) {
  return request('/api/v1/edits', { method: 'POST', body: payload })
}
