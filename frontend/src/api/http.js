// Every API call goes through request() so that failures look the same everywhere: an ApiError with
// .status (0 = network failure), .detail and .errors [{field, reason}], read from RFC 9457
// application/problem+json when the server sends it.

export class ApiError extends Error {
  constructor({ status = 0, title = '', detail = '', errors = [], retryAfter = null } = {}) {
    super(detail || title || (status ? `HTTP ${status}` : 'Network error'))
    this.name = 'ApiError'
    this.status = status
    this.title = title
    this.detail = detail
    this.errors = errors
    // Seconds from a 429's Retry-After header, so the user is told how long to wait.
    this.retryAfter = retryAfter
  }
}

function normaliseFieldErrors(errors) {
  if (!Array.isArray(errors)) return []
  return errors
    .filter((item) => item && typeof item.field === 'string')
    .map((item) => ({ field: item.field, reason: String(item.reason ?? '') }))
}

function retryAfterSeconds(response) {
  const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '', 10)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null
}

async function toApiError(response) {
  const type = response.headers.get('Content-Type') ?? ''
  const retryAfter = retryAfterSeconds(response)
  // nginx error pages (502/504) are HTML; only JSON bodies carry details worth showing.
  if (!type.includes('json')) return new ApiError({ status: response.status, title: response.statusText, retryAfter })
  let body = {}
  try {
    body = await response.json()
  } catch {
    // A truncated or invalid body still leaves the status, which is the useful part.
  }
  return new ApiError({
    status: response.status,
    title: typeof body.title === 'string' ? body.title : response.statusText,
    detail: typeof body.detail === 'string' ? body.detail : '',
    errors: normaliseFieldErrors(body.errors),
    retryAfter,
  })
}

// A request the network swallowed must fail, not hang: callers retry or tell the user.
const TIMEOUT_MS = 20_000

// as: 'blob' for binary answers (a ZIP); a FormData body is sent as multipart (uploads).
export async function request(path, { method = 'GET', body, signal, headers: extra = {}, as = 'json' } = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...extra }
  const multipart = body instanceof FormData
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json'
  let response
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined || multipart ? body : JSON.stringify(body),
      signal: signal ?? AbortSignal.timeout(TIMEOUT_MS),
      credentials: 'same-origin',
    })
  } catch (cause) {
    // The caller's own abort passes through; our timeout is a network failure like any other.
    if (cause?.name === 'AbortError' && signal) throw cause
    throw new ApiError({ status: 0 })
  }
  if (!response.ok) throw await toApiError(response)
  if (response.status === 204) return null
  return as === 'blob' ? response.blob() : response.json()
}
