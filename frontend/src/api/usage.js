import { request } from './http.js'

// Usage per UTC day and model, from the server's usage ledger (history deletions do not lower it).
// from/to: 'YYYY-MM-DD' UTC days, both included, at most 366 days apart; left out, the server uses
// this month. → {from, to, today, month, period: {tasks, completed, failed, cancelled, images},
//   days: [{date, model, tasks, completed, failed, cancelled, images, estimated_cost_cny}],
//   by_model: [{model, tasks, failed, images, estimated_cost_cny}], estimated_cost_cny,
//   quota: {used, limit | null}, cost_is_estimate}
export function getUsage({ from = '', to = '' } = {}) {
  const params = new URLSearchParams()
  if (from) params.set('from', from)
  if (to) params.set('to', to)
  const query = params.toString()
  return request(query ? `/api/v1/usage?${query}` : '/api/v1/usage')
}
