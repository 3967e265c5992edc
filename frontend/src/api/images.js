import { request } from './http.js'

// Several images as one ZIP (images + params.json) → a Blob; 404 on servers without the feature.
export function zipImages(imageIds) {
  return request('/api/v1/images/zip', {
    method: 'POST',
    body: { image_ids: imageIds },
    headers: { Accept: 'application/zip, application/problem+json' },
    as: 'blob',
  })
}

// One task's or one batch's images as a ZIP: plain links, the server names the file (attachment).
export function taskZipUrl(taskId) {
  return `/api/v1/task/${encodeURIComponent(taskId)}/zip`
}

export function batchZipUrl(batchId) {
  return `/api/v1/batch/${encodeURIComponent(batchId)}/zip`
}
