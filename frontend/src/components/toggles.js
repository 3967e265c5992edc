const ACTIVE = 'bg-accent text-white shadow-xs'
const INACTIVE = 'text-muted'

// Top-bar buttons. They only forward to the settings store, which owns persistence.
export function themeToggle() {
  return {
    get isDark() {
      return this.$store.settings.isDark
    },
    get label() {
      return this.$t(this.isDark ? 'header.toLight' : 'header.toDark')
    },
    toggle() {
      this.$store.settings.toggleTheme()
    },
  }
}

export function langToggle() {
  return {
    get isEnglish() {
      return this.$store.settings.lang === 'en'
    },
    get isChinese() {
      return !this.isEnglish
    },
    get label() {
      return this.$t('header.switchLanguage')
    },
    get chineseClass() {
      return this.isChinese ? ACTIVE : INACTIVE
    },
    get englishClass() {
      return this.isEnglish ? ACTIVE : INACTIVE
    },
    toggle() {
      this.$store.settings.toggleLang()
    },
  }
}
