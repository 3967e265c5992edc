import { deleteUpload, uploadImage } from '../api/uploads.js'

const ACCEPTED = ['image/png', 'image/jpeg', 'image/webp']
const MAX_BYTES = 10 * 1024 * 1024

// Reference images for models whose catalogue entry has reference_images {min, max}: dropped or chosen
// files are uploaded at once (POST /api/v1/uploads) and sent by id with the generate request. One removed
// before it was ever sent is deleted on the server too; one a task may use is left to the retention cleanup.
export default () => ({
  references: [],
  uploading: 0,
  dragOver: false,

  get referenceRule() {
    return this.model?.reference_images ?? null
  },

  get acceptsReferences() {
    return Boolean(this.referenceRule)
  },

  get referenceMax() {
    return this.referenceRule?.max ?? 0
  },

  get referenceHint() {
    const rule = this.referenceRule
    return rule ? this.$t('references.hint', { min: rule.min ?? 0, max: rule.max ?? 1 }) : ''
  },

  get canAddReference() {
    return this.references.length + this.uploading < this.referenceMax
  },

  get dropClass() {
    return this.dragOver ? 'border-accent bg-accent-soft' : 'border-line'
  },

  onDragOver() {
    this.dragOver = true
  },

  onDragLeave() {
    this.dragOver = false
  },

  onDrop(event) {
    this.dragOver = false
    this.addFiles(event.dataTransfer?.files)
  },

  onFileChosen(event) {
    this.addFiles(event.target.files)
    event.target.value = ''
  },

  async addFiles(files) {
    for (const file of [...(files ?? [])]) {
      if (!this.canAddReference) {
        this.$store.toasts.error({ key: 'references.tooMany', params: { max: this.referenceMax } })
        return
      }
      if (!ACCEPTED.includes(file.type)) {
        this.$store.toasts.error({ key: 'references.notImage' })
        continue
      }
      if (file.size > MAX_BYTES) {
        this.$store.toasts.error({ key: 'references.tooBig' })
        continue
      }
      this.uploading++
      try {
        const upload = await uploadImage(file)
        this.references.push({ ...upload, name: file.name })
        this.clearError('reference_image_ids')
      } catch (error) {
        const key = { 413: 'references.tooBig', 415: 'references.notImage', 404: 'references.unsupported' }[error.status]
        if (key) this.$store.toasts.error({ key })
        else this.toastError(error)
      } finally {
        this.uploading--
      }
    }
  },

  removeReference(reference) {
    const index = this.references.indexOf(reference)
    if (index !== -1) this.references.splice(index, 1)
    // Best effort: the server refuses (409) while a task uses it, and cleans up what is left anyway.
    if (!reference.sent) deleteUpload(reference.upload_id).catch(() => {})
  },

  referenceLabel(reference) {
    return this.$t('references.remove', { name: reference.name })
  },

  get isUploading() {
    return this.uploading > 0
  },

  // Added to the generate body only for models that take references. A reference put in a body may now
  // belong to a task, so removing it from the form no longer deletes it.
  referencePayload() {
    if (!this.acceptsReferences || !this.references.length) return {}
    for (const reference of this.references) reference.sent = true
    return { reference_image_ids: this.references.map((r) => r.upload_id) }
  },

  validateReferences(errors) {
    const min = this.referenceRule?.min ?? 0
    if (this.acceptsReferences && this.references.length < min) {
      errors.reference_image_ids = { key: 'references.needMore', params: { min } }
    }
  },
})
