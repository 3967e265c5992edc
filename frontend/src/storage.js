// localStorage throws in some privacy modes and sandboxed frames; preferences are a nicety, never fatal.
export function readPreference(key) {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

export function writePreference(key, value) {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Not persisted; the choice still applies for this page view.
  }
}
