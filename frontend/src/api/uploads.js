import { request } from './http.js'

// Reference image → 201 {upload_id, mime_type, width, height, size_bytes, url}; 413 too big, 415 not an image.
export function uploadImage(file) {
  const form = new FormData()
  form.append('file', file)
  return request('/api/v1/uploads', { method: 'POST', body: form })
}

// 204; 409 while a pending or running task uses it as a reference, 404 when already gone.
export function deleteUpload(uploadId) {
  return request(`/api/v1/uploads/${encodeURIComponent(uploadId)}`, { method: 'DELETE' })
}
