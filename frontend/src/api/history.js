import { request } from './http.js'

// Finished tasks (completed, failed, cancelled), newest first → {total, page, limit, items: [task]}.
// q searches the prompt; favourite=true keeps only starred tasks.
export function listHistory({ page = 1, limit = 20, q = '', favourite = false } = {}) {
  const params = new URLSearchParams({ page: String(page), limit: String(limit) })
  if (q) params.set('q', q)
  if (favourite) params.set('favourite', 'true')
  return request(`/api/v1/history?${params}`)
}
