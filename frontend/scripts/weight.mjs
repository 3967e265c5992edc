// First-load weight of the built page: index.html plus every stylesheet, script, font and module it
// references from our origin (images excluded), gzipped at nginx.conf's level (gzip_comp_level 5).
// Also checks that every referenced asset has a content hash in its name, so nginx may cache it for ever.
// Usage: npm run weight (builds first). Exits 1 over the budget of issue 5 (150 KB) or on an unhashed asset.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_BYTES = 150 * 1024
const GZIP_LEVEL = 5
const dist = fileURLToPath(new URL('../dist', import.meta.url))
const HASHED = /-[A-Za-z0-9]{8,}\.(js|css|woff2?)$/

const html = await readFile(join(dist, 'index.html'))
// <link rel="stylesheet|preload|modulepreload" href> and <script src>; icons and images are not first-load blocking.
const references = [
  ...html.toString().matchAll(/<link\b[^>]*rel="(?:stylesheet|preload|modulepreload)"[^>]*href="(\/[^"]+)"/g),
  ...html.toString().matchAll(/<script\b[^>]*src="(\/[^"]+)"/g),
].map((match) => match[1])

const rows = [{ file: '/index.html', raw: html.length, gzip: gzipSync(html, { level: GZIP_LEVEL }).length }]
const unhashed = []
for (const path of references) {
  const body = await readFile(join(dist, path))
  rows.push({ file: path, raw: body.length, gzip: gzipSync(body, { level: GZIP_LEVEL }).length })
  if (!HASHED.test(path)) unhashed.push(path)
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const total = rows.reduce((sum, row) => sum + row.gzip, 0)
for (const row of rows) console.log(`${row.file.padEnd(34)} ${kb(row.raw).padStart(9)} raw ${kb(row.gzip).padStart(9)} gzip`)
console.log(`first load: ${kb(total)} gzipped of ${kb(BUDGET_BYTES)} budget (${Math.round((total / BUDGET_BYTES) * 100)}%)`)
if (unhashed.length) console.error(`assets without a content hash in their name: ${unhashed.join(', ')}`)
if (total > BUDGET_BYTES || unhashed.length) process.exit(1)
