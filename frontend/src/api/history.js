import { request } from './http.js'

// Finished tasks (completed, failed, cancelled), newest first → {total, page, limit, items: [task]}.
// q searches the prompt; favourite=true keeps only starred tasks; model keeps one model's tasks;
// from/to (ISO-8601 instants) bound created_at on servers that know them.
// sourceImageId keeps only the edits made from that image (its family).
export function listHistory({ page = 1, limit = 20, q = '', favourite = false, model = '', from = '', to = '', sourceImageId = '' } = {}) {
  const params = new URLSearchParams({ page: String(page), limit: String(limit) })
  if (q) params.set('q', q)
  if (favourite) params.set('favourite', 'true')
  if (model) params.set('model', model)
  if (from) params.set('from', from)
  if (to) params.set('to', to)
  if (sourceImageId) params.set('source_image_id', sourceImageId)
  return request(`/api/v1/history?${params}`)
}

// Several finished tasks with their images → {deleted: n, skipped: [task_id]}; running ones are skipped.
export function deleteHistory(taskIds) {
  return request('/api/v1/history/delete', { method: 'POST', body: { task_ids: taskIds } })
}
