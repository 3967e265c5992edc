import { request } from './http.js'

// → {paused, running, concurrency, waiting: [task_id]}: the waiting ids in the order they will start.
// Pause and resume answer with the queue as it is afterwards.
export function getQueue() {
  return request('/api/v1/queue')
}

// Running tasks finish; waiting ones stay until resumed.
export function pauseQueue() {
  return request('/api/v1/queue/pause', { method: 'POST' })
}

export function resumeQueue() {
  return request('/api/v1/queue/resume', { method: 'POST' })
}
