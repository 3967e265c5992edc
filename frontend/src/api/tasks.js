import { request } from './http.js'

// → 202 {task_id, status: "pending", created_at}; 400 problem+json with errors[] on invalid input.
export function createTask(payload) {
  return request('/api/v1/generate', { method: 'POST', body: payload })
}

export function getTask(taskId) {
  return request(`/api/v1/task/${encodeURIComponent(taskId)}`)
}

export function taskEventsUrl(taskId) {
  return `/api/v1/task/${encodeURIComponent(taskId)}/events`
}
