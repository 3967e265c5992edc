const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type=hidden])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'details > summary',
  '[tabindex]:not([tabindex="-1"])',
].join(',')

function visible(element) {
  return element.offsetParent !== null || element.getClientRects().length > 0
}

// An unchecked radio is a Tab stop only while its group has none checked. Counting the others would make
// the trap wait for the group's last radio while Tab leaves the group (and the dialog) from the checked one.
function tabStop(element) {
  if (element.type !== 'radio' || element.checked || !element.name) return true
  const group = (element.form ?? document).querySelectorAll(`input[type=radio][name="${CSS.escape(element.name)}"]`)
  return ![...group].some((radio) => radio.checked)
}

export function focusables(container) {
  return [...container.querySelectorAll(FOCUSABLE)].filter((element) => visible(element) && tabStop(element))
}

// Bound to keydown.tab on a modal dialog: Tab and Shift+Tab cycle inside it, never to the page behind.
export function trapFocus(event, container) {
  const items = focusables(container)
  if (items.length === 0) {
    event.preventDefault()
    return
  }
  const first = items[0]
  const last = items[items.length - 1]
  const active = document.activeElement
  if (event.shiftKey && (active === first || !container.contains(active))) {
    event.preventDefault()
    last.focus()
  } else if (!event.shiftKey && (active === last || !container.contains(active))) {
    event.preventDefault()
    first.focus()
  }
}

// Typing in a field must not trigger the single-key shortcuts (/ and ?).
export function isEditable(element) {
  if (!element) return false
  if (element.isContentEditable) return true
  const tag = element.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  return tag === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'range'].includes(element.type)
}
