import zhCN from './zh-CN.js'
import en from './en.js'

export const DEFAULT_LANG = 'zh-CN'
export const dictionaries = { 'zh-CN': zhCN, en }

// Chinese unless the browser ranks English above Chinese: the first zh* or en* entry decides.
export function detectLanguage(preferred = []) {
  const first = preferred.map((tag) => tag.toLowerCase()).find((tag) => /^(zh|en)\b/.test(tag))
  return first?.startsWith('en') ? 'en' : DEFAULT_LANG
}

export function isLanguage(value) {
  return Object.hasOwn(dictionaries, value)
}

function lookup(dictionary, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), dictionary)
}

// "{name}" placeholders are filled from params; a missing key shows itself, which is easy to spot in review.
export function translate(lang, key, params = {}) {
  const text = lookup(dictionaries[lang], key) ?? lookup(dictionaries[DEFAULT_LANG], key)
  if (typeof text !== 'string') return key
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match))
}

// Server payloads carry either a plain string or a {zh, en} pair (model names, descriptions).
export function localize(value, lang) {
  if (value == null || typeof value === 'string') return value ?? ''
  return (lang === 'en' ? value.en : value.zh) ?? value.zh ?? value.en ?? ''
}
