import { request } from './http.js'

// /api/v1/backups: an online backup of the running studio into BACKUP_DIR (the README's "Backup and
// restore"). With login off the server makes them only for a browser on its own machine (403 else).
const base = '/api/v1/backups'

// → {name, bytes, created_at, counts: {tasks, images, …}, master_key}
export function createBackup() {
  // A large DATA_DIR takes a while to copy; the page's usual 30 s would give up on it.
  return request(base, { method: 'POST', body: {}, signal: AbortSignal.timeout(15 * 60_000) })
}

// → {backups: [{name, bytes, created_at}]}, newest first
export function listBackups() {
  return request(base)
}

// A link the browser downloads the archive from.
export function backupUrl(name) {
  return `${base}/${encodeURIComponent(name)}`
}
