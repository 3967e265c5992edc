import { request } from './http.js'

// /api/v1/settings (see CONTRACTS.md). Secrets are write-only: the server never returns them, and the
// page never keeps them after the request that sends them.
const base = '/api/v1/settings'

// → {mode, credentials: {volcengine, ark}, runtime: {...}}; 404 on servers without the feature.
export function getSettings() {
  return request(base)
}

export function patchRuntime(changes) {
  return request(base, { method: 'PATCH', body: changes })
}

// provider: "volcengine" ({access_key, secret_key}) or "ark" ({api_key}) → the GET shape.
export function putCredentials(provider, body) {
  return request(`${base}/credentials/${encodeURIComponent(provider)}`, { method: 'PUT', body })
}

export function deleteCredentials(provider) {
  return request(`${base}/credentials/${encodeURIComponent(provider)}`, { method: 'DELETE' })
}

// → {ok, code, message: {zh, en} | null, latency_ms}
export function testCredentials(provider) {
  return request(`${base}/credentials/${encodeURIComponent(provider)}/test`, { method: 'POST' })
}
