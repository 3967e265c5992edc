// Every API call goes through request() so that failures look the same everywhere: an ApiError with
// .status (0 = network failure), .detail and .errors [{field, reason}], read from RFC 9457
// application/problem+json when the server sends it.

export class ApiError extends Error {
  constructor({ status = 0, title = '', detail = '', errors = [], retryAfter = null, code = null, facts = {} } = {}) {
    super(detail || title || (status ? `HTTP ${status}` : 'Network error'))
    this.name = 'ApiError'
    this.status = status
    this.title = title
    this.detail = detail
    this.errors = errors
    // Seconds from a 429's Retry-After header, so the user is told how long to wait.
    this.retryAfter = retryAfter
    // A problem's machine-readable code (e.g. MONTHLY_QUOTA_EXCEEDED) and its numbers, so the page
    // can say it in the user's language instead of showing the server's English detail.
    this.code = code
    this.facts = facts
  }
}

function normaliseFieldErrors(errors) {
  if (!Array.isArray(errors)) return []
  return errors
    .filter((item) => item && typeof item.field === 'string')
    .map((item) => ({ field: item.field, reason: String(item.reason ?? '') }))
}

function numbersOf(body, names) {
  return Object.fromEntries(names.filter((name) => Number.isFinite(body?.[name])).map((name) => [name, body[name]]))
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
    code: typeof body.code === 'string' ? body.code : null,
    facts: numbersOf(body, ['used', 'reserved', 'limit', 'requested']),
  })
}

// A request the network swallowed must fail, not hang: callers retry or tell the user.
const TIMEOUT_MS = 20_000

// With login on (APP_AUTH_USERNAME), a 401 anywhere means "log in": the login dialog listens for this.
export const UNAUTHORIZED_EVENT = 'studio:unauthorized'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// The backend sets XSRF-TOKEN (readable by this page only) and wants it back in X-XSRF-TOKEN on every
// unsafe request that rides on the session cookie; without login there is no such cookie and no header.
function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/)
  return match ? decodeURIComponent(match[1]) : null
}

// For requests that cannot go through request() (a multipart upload): the headers every API call needs.
export function apiHeaders(method = 'GET') {
  const headers = { 'X-Requested-With': 'XMLHttpRequest' }
  const token = SAFE_METHODS.has(method.toUpperCase()) ? null : csrfToken()
  if (token) headers['X-XSRF-TOKEN'] = token
  return headers
}

// authPrompt: false for the login request itself, whose 401 is the dialog's own error message.
// as: 'blob' for binary answers (a ZIP); a FormData body is sent as multipart (uploads).
export async function request(path, { method = 'GET', body, signal, headers: extra = {}, authPrompt = true, as = 'json' } = {}) {
  // X-Requested-With tells the backend this is the page, not a REST client: a 401 then comes without the
  // Basic challenge that would make the browser pop up its own password box.
  const headers = { Accept: 'application/json, application/problem+json', ...apiHeaders(method), ...extra }
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
  if (response.status === 401 && authPrompt) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT))
  if (!response.ok) throw await toApiError(response)
  if (response.status === 204) return null
  return as === 'blob' ? response.blob() : response.json()
}
