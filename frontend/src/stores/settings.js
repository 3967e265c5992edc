import { detectLanguage, isLanguage, translate } from '../i18n/index.js'
import { readPreference, writePreference } from '../storage.js'

const THEME_KEY = 'volc-studio.theme'
const LANG_KEY = 'volc-studio.lang'

export function initialTheme() {
  const stored = readPreference(THEME_KEY)
  if (stored === 'light' || stored === 'dark') return stored
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

// Called before Alpine starts too, so the first paint already has the right theme.
export function applyTheme(theme) {
  document.documentElement.classList.toggle('dark', theme === 'dark')
}

function initialLang() {
  const stored = readPreference(LANG_KEY)
  return isLanguage(stored) ? stored : detectLanguage(navigator.languages ?? [navigator.language])
}

function applyLang(lang) {
  document.documentElement.lang = lang
  document.title = translate(lang, 'app.title')
}

// Theme and language: persisted in localStorage, reflected on <html>.
export default {
  theme: initialTheme(),
  lang: initialLang(),

  init() {
    applyTheme(this.theme)
    applyLang(this.lang)
  },

  get isDark() {
    return this.theme === 'dark'
  },

  toggleTheme() {
    this.setTheme(this.isDark ? 'light' : 'dark')
  },

  setTheme(theme) {
    if (theme !== 'light' && theme !== 'dark') return
    this.theme = theme
    applyTheme(theme)
    writePreference(THEME_KEY, theme)
  },

  toggleLang() {
    this.setLang(this.lang === 'en' ? 'zh-CN' : 'en')
  },

  setLang(lang) {
    if (!isLanguage(lang)) return
    this.lang = lang
    applyLang(lang)
    writePreference(LANG_KEY, lang)
  },
}
