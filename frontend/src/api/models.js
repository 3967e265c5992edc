import { request } from './http.js'

// → [{id, name: {zh, en}, description, available, max_images, prompt_max_chars, size: {presets, ...}, params, ...}]
export async function listModels() {
  const body = await request('/api/v1/models')
  return Array.isArray(body?.models) ? body.models : []
}
