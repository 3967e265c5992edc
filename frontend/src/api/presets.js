import { request } from './http.js'

// Saved parameter sets: {id, name, params: {model, width, height, num_images, seed, steps, scale,
// negative_prompt, options}, created_at, updated_at}. The server checks params against the model.
export async function listPresets() {
  const body = await request('/api/v1/presets')
  return Array.isArray(body?.items) ? body.items : []
}

export function createPreset(name, params) {
  return request('/api/v1/presets', { method: 'POST', body: { name, params } })
}

export function deletePreset(presetId) {
  return request(`/api/v1/presets/${encodeURIComponent(presetId)}`, { method: 'DELETE' })
}
