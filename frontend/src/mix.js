// Object spread ({...a}) would call a mixin's getters once and copy their values; components need the
// getters themselves, so mixins are merged by property descriptor.
export function mix(...parts) {
  const target = {}
  for (const part of parts) Object.defineProperties(target, Object.getOwnPropertyDescriptors(part))
  return target
}
