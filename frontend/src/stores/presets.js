import { createPreset, deletePreset, listPresets } from '../api/presets.js'
import { reportApiError } from './toasts.js'

// The saved presets from /api/v1/presets, shared by the form's picker and the right column's list.
// available stays null until the first answer; false when the server has no presets endpoint.
export default {
  items: [],
  available: null,

  init() {
    this.load()
  },

  async load() {
    try {
      this.items = await listPresets()
      this.available = true
    } catch (error) {
      if (error.status === 404) this.available = false
      else if (error.status !== 0) reportApiError(error)
    }
  },

  find(id) {
    return this.items.find((preset) => preset.id === id) ?? null
  },

  // Throws the ApiError, so the form can show the server's reason beside the name field.
  async save(name, params) {
    const preset = await createPreset(name, params)
    this.items.push(preset)
    return preset
  },

  async remove(preset) {
    try {
      await deletePreset(preset.id)
    } catch (error) {
      if (error.status !== 404) {
        reportApiError(error)
        return
      }
    }
    const index = this.items.indexOf(preset)
    if (index !== -1) this.items.splice(index, 1)
  },
}
