// Preset picker for the generator form: load a saved preset's parameters (the prompt stays), save the
// current ones under a name, and append a built-in style to the prompt.
export default () => ({
  savingPreset: false,
  presetName: '',
  presetError: '',

  get savedPresets() {
    return this.$store.presets.items
  },

  get presetsAvailable() {
    return this.$store.presets.available === true
  },

  loadPreset(event) {
    const preset = this.$store.presets.find(event.target.value)
    event.target.value = ''
    if (preset) this.applyPreset({ detail: preset })
  },

  // x-on:apply-preset.window, or the picker above.
  applyPreset(event) {
    const preset = event.detail
    if (!preset?.params) return
    this.applyParams(preset.params)
    this.$store.toasts.info({ key: 'presets.loaded', params: { name: preset.name } })
  },

  // x-on:apply-style.window: the fragment goes at the end, after a separator if the prompt has text.
  applyStyle(event) {
    const fragment = this.$t(`styles.${event.detail}.prompt`)
    const current = this.prompt.trimEnd()
    this.prompt = current ? `${current}${this.lang === 'en' ? ', ' : '，'}${fragment}` : fragment
    this.onPromptInput()
    this.$nextTick(() => this.$root.querySelector('#prompt')?.focus())
  },

  startSavePreset() {
    this.savingPreset = true
    this.presetError = ''
    this.$nextTick(() => this.$root.querySelector('#preset-name')?.focus())
  },

  cancelSavePreset() {
    this.savingPreset = false
    this.presetName = ''
    this.presetError = ''
  },

  get hasPresetError() {
    return this.presetError !== ''
  },

  async savePreset() {
    const name = this.presetName.trim()
    if (!name) {
      this.presetError = this.$t('presets.nameRequired')
      return
    }
    if (!this.model) return
    const { prompt, reference_image_ids, ...params } = this.payload()
    try {
      await this.$store.presets.save(name, params)
      this.$store.toasts.info({ key: 'presets.saved', params: { name } })
      this.cancelSavePreset()
    } catch (error) {
      this.presetError = error.errors?.map((e) => e.reason).join('; ') || error.detail || this.$t('errors.http', { status: error.status })
    }
  },
})
