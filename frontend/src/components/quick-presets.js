import { STYLE_KEYS } from '../styles.js'

// Right column, bottom: saved presets (one click loads them into the form) and the built-in styles
// (one click appends a style to the prompt). The form listens for the window events.
export default () => ({
  styles: STYLE_KEYS,

  get presets() {
    return this.$store.presets.items
  },

  get hasPresets() {
    return this.presets.length > 0
  },

  get presetsAvailable() {
    return this.$store.presets.available === true
  },

  apply(preset) {
    this.$dispatch('apply-preset', preset)
    this.$store.ui.closeDrawer()
  },

  remove(preset) {
    this.$store.presets.remove(preset)
  },

  removeLabel(preset) {
    return this.$t('presets.deleteNamed', { name: preset.name })
  },

  styleLabel(key) {
    return this.$t(`styles.${key}.label`)
  },

  applyStyle(key) {
    this.$dispatch('apply-style', key)
    this.$store.ui.closeDrawer()
  },
})
