// First-load weight of the built page: index.html plus every stylesheet, script, font and module it
// references from our origin (images excluded), as each way of serving it sends them:
//   nginx     the .gz that build.mjs wrote beside the file (gzip_static), else gzipped on the fly at
//             nginx.conf's level (gzip_comp_level 5);
//   make run  the backend sends the .br to a client that accepts brotli (browsers and curl --compressed
//             do), else the .gz;
//   raw       what either sends to a client that accepts no compression.
// Also checks that every referenced asset has a content hash in its name, so nginx may cache it for ever,
// and that index.html and each script and stylesheet come with both compressed copies.
// Usage: npm run weight (builds first). Exits 1 over the budget of issue 5 (150 KB, on the nginx figure),
// on an unhashed asset or on a missing compressed copy.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_BYTES = 150 * 1024
const GZIP_LEVEL = 5
const dist = fileURLToPath(new URL('../dist', import.meta.url))
const HASHED = /-[A-Za-z0-9]{8,}\.(js|css|woff2?)$/
const PRECOMPRESSED = /(\.html|\.js|\.css)$/

async function size(file) {
  try {
    return (await readFile(file)).length
  } catch (error) {
    if (error.code === 'ENOENT') return null
    throw error
  }
}

const html = await readFile(join(dist, 'index.html'))
// <link rel="stylesheet|preload|modulepreload" href> and <script src>; icons and images are not first-load blocking.
const references = [
  ...html.toString().matchAll(/<link\b[^>]*rel="(?:stylesheet|preload|modulepreload)"[^>]*href="(\/[^"]+)"/g),
  ...html.toString().matchAll(/<script\b[^>]*src="(\/[^"]+)"/g),
].map((match) => match[1])

const rows = []
const unhashed = []
const uncompressed = []
for (const path of ['/index.html', ...references]) {
  const file = join(dist, path)
  const body = await readFile(file)
  const [gz, br] = [await size(`${file}.gz`), await size(`${file}.br`)]
  if (PRECOMPRESSED.test(path) && (gz === null || br === null)) uncompressed.push(path)
  const nginx = gz ?? gzipSync(body, { level: GZIP_LEVEL }).length
  rows.push({ file: path, raw: body.length, nginx, run: br ?? nginx })
  if (path !== '/index.html' && !HASHED.test(path)) unhashed.push(path)
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const sum = (key) => rows.reduce((total, row) => total + row[key], 0)
console.log(`${'file'.padEnd(34)} ${'raw'.padStart(9)} ${'nginx gz'.padStart(9)} ${'run br'.padStart(9)}`)
for (const row of rows) {
  console.log(`${row.file.padEnd(34)} ${kb(row.raw).padStart(9)} ${kb(row.nginx).padStart(9)} ${kb(row.run).padStart(9)}`)
}
const total = sum('nginx')
console.log(`first load: ${kb(total)} via nginx (gzip), ${kb(sum('run'))} via make run (brotli; gzip as nginx), ${kb(sum('raw'))} uncompressed`)
console.log(`budget: ${kb(total)} of ${kb(BUDGET_BYTES)} (${Math.round((total / BUDGET_BYTES) * 100)}%)`)
if (unhashed.length) console.error(`assets without a content hash in their name: ${unhashed.join(', ')}`)
if (uncompressed.length) console.error(`without a .gz and a .br beside them (build.mjs writes both): ${uncompressed.join(', ')}`)
if (total > BUDGET_BYTES || unhashed.length || uncompressed.length) process.exit(1)
