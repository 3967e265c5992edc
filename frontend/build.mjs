// Production build: dist/ = index.html (with hashed asset names) + assets/app-<hash>.{js,css} + public/*,
// the first three also as .br and .gz beside them. Hashed names let nginx cache assets forever while
// index.html stays revalidated; the compressed copies are sent as they are, by nginx (gzip_static) and by
// the backend under `make run` (spring.web.resources.chain.compressed), so no request compresses anything.
// index.html is a shell: each component's markup lives beside its module (src/components/task-list.html
// next to task-list.js) and comes in where the shell, or another template, says
// <!-- @include components/task-list.html -->, a path under src/.
// Usage: node build.mjs (npm run build). Exits non-zero on any error.
import { createHash } from 'node:crypto'
import { execFile } from 'node:child_process'
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlib, gzip } from 'node:zlib'
import * as esbuild from 'esbuild'
import zhCN from './src/i18n/zh-CN.js'
import en from './src/i18n/en.js'

const root = fileURLToPath(new URL('.', import.meta.url))
const dist = join(root, 'dist')
const assets = join(dist, 'assets')

// "English complete" is a promise to users: fail the build when the dictionaries drift apart.
function keyPaths(node, prefix = '') {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'object' ? keyPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  )
}

function checkDictionaries() {
  const zh = new Set(keyPaths(zhCN))
  const english = new Set(keyPaths(en))
  const onlyZh = [...zh].filter((key) => !english.has(key))
  const onlyEn = [...english].filter((key) => !zh.has(key))
  if (onlyZh.length || onlyEn.length) {
    throw new Error(`i18n dictionaries differ: only in zh-CN [${onlyZh}], only in en [${onlyEn}]`)
  }
}

async function buildJs() {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/main.js'],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    outdir: assets,
    entryNames: 'app-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  })
  const [output] = Object.keys(result.metafile.outputs)
  return `/assets/${basename(output)}`
}

async function buildCss() {
  // The CLI writes the stylesheet to stdout when no -o is given; we name the file after its hash.
  const tailwind = join(root, 'node_modules', '.bin', 'tailwindcss')
  const { stdout } = await promisify(execFile)(tailwind, ['-i', 'src/app.css', '--minify'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  })
  if (!stdout.trim()) throw new Error('tailwindcss produced no CSS')
  const hash = createHash('sha256').update(stdout).digest('hex').slice(0, 10)
  const name = `app-${hash}.css`
  await writeFile(join(assets, name), stdout)
  return `/assets/${name}`
}

// A marker is a line of its own; the template's lines take the marker's indentation, so the page reads
// as one document. A missing template, a cycle or a marker not on its own line fails the build.
const INCLUDE = /^([ \t]*)<!-- @include (\S+) -->[ \t]*$/

async function assemble(text, from, stack = []) {
  const lines = []
  for (const line of text.split('\n')) {
    const match = INCLUDE.exec(line)
    if (!match) {
      if (/<!--\s*@include/.test(line)) throw new Error(`${from}: an @include marker must be alone on its line: ${line.trim()}`)
      lines.push(line)
      continue
    }
    const [, indent, name] = match
    if (name.startsWith('/') || name.split('/').includes('..')) throw new Error(`${from}: @include ${name}: not a path under src/`)
    if (stack.includes(name)) throw new Error(`${from}: @include ${name} includes itself (${[...stack, name].join(' → ')})`)
    let template
    try {
      template = await readFile(join(root, 'src', name), 'utf8')
    } catch (error) {
      throw new Error(`${from}: @include ${name}: ${error.code === 'ENOENT' ? 'no such file under src/' : error.message}`, { cause: error })
    }
    const body = await assemble(template.replace(/\n$/, ''), `src/${name}`, [...stack, name])
    lines.push(...body.split('\n').map((part) => (part ? indent + part : part)))
  }
  return lines.join('\n')
}

// Maximum levels: it happens once per build, and every first load is smaller for it.
async function precompress(file) {
  const body = await readFile(file)
  const [gz, br] = await Promise.all([
    promisify(gzip)(body, { level: zlib.Z_BEST_COMPRESSION }),
    promisify(brotliCompress)(body, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  ])
  await Promise.all([writeFile(`${file}.gz`, gz), writeFile(`${file}.br`, br)])
  return { raw: body.length, gz: gz.length, br: br.length }
}

function replaceOnce(html, placeholder, value) {
  const count = html.split(placeholder).length - 1
  if (count !== 1) throw new Error(`index.html must reference ${placeholder} exactly once (found ${count})`)
  return html.replace(placeholder, value)
}

async function main() {
  const started = performance.now()
  checkDictionaries()
  await rm(dist, { recursive: true, force: true })
  await mkdir(assets, { recursive: true })

  const [js, css] = await Promise.all([buildJs(), buildCss()])

  let html = await assemble(await readFile(join(root, 'index.html'), 'utf8'), 'index.html')
  html = replaceOnce(html, '/assets/app.js', js)
  html = replaceOnce(html, '/assets/app.css', css)
  await writeFile(join(dist, 'index.html'), html)
  await cp(join(root, 'public'), dist, { recursive: true })

  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`
  for (const file of ['/index.html', js, css]) {
    const { raw, gz, br } = await precompress(join(dist, file))
    console.log(`  dist${file}  ${kb(raw)}  (.gz ${kb(gz)}, .br ${kb(br)})`)
  }
  console.log(`built in ${Math.round(performance.now() - started)} ms`)
}

main().catch((error) => {
  // Tailwind reports on stderr (kept on the error by execFile); esbuild has already printed its own.
  console.error(`build failed: ${error.stderr?.trim() || error.message}`)
  process.exit(1)
})
