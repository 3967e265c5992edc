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
    this.theme = this.isDark ? 'light' : 'dark'
    applyTheme(this.theme)
    writePreference(THEME_KEY, this.theme)
  },

  toggleLang() {
    this.lang = this.lang === 'en' ? 'zh-CN' : 'en'
    applyLang(this.lang)
    writePreference(LANG_KEY, this.lang)
  },
}
