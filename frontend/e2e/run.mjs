// Runs the browser test files, two at a time (E2E_LANES): each file starts its own backend, nginx
// and chromium on free ports with state in temp directories, so files share nothing but the built
// page, which is built once here, before any of them starts. A browser test spends most of its time
// waiting on the emulated latency and on the page, about 0.6 of a core on the 2-core machine, so a
// second lane nearly halves the wall time. The longest files start first.
//
// A file that fails is run once more, alone, and reported as flaky if it then passes: a known, not
// yet found race (an occasional 500 around the login in auth.test.mjs, once in CI) must not hide the
// other files' results, and it stays visible in the output.
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const lanes = Math.max(1, Number(process.env.E2E_LANES ?? 2))
// Longest first (figures of a serial run), so the lanes end close together; a new file goes last.
const LONGEST_FIRST = ['features', 'journey', 'queue', 'studio', 'usage', 'auth']
const rank = (file) => {
  const i = LONGEST_FIRST.indexOf(file.replace('.test.mjs', ''))
  return i < 0 ? LONGEST_FIRST.length : i
}
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.test.mjs'))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))

const build = spawnSync(process.execPath, ['build.mjs'], { cwd: `${dir}..`, stdio: 'inherit' })
if (build.status !== 0) process.exit(1)
const env = { ...process.env, E2E_PREBUILT: '1' }

// A file's output is held back until it ends, so two files' lines never interleave.
function run(file) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', `${dir}${file}`], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = []
    child.stdout.on('data', (chunk) => output.push(chunk))
    child.stderr.on('data', (chunk) => output.push(chunk))
    child.on('close', (code) => {
      process.stdout.write(Buffer.concat(output))
      console.log(`e2e: ${file} ${code === 0 ? 'passed' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s`)
      resolve(code === 0)
    })
  })
}

const failedOnce = []
const queue = [...files]
await Promise.all(
  Array.from({ length: Math.min(lanes, files.length) }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      if (!(await run(file))) failedOnce.push(file)
    }
  }),
)

const failed = []
const flaky = []
for (const file of failedOnce) {
  console.log(`e2e: ${file} failed; running it once more, alone`)
  if (await run(file)) flaky.push(file)
  else failed.push(file)
}
console.log(`e2e: ${files.length} files in ${lanes} lanes, ${failed.length} failed${flaky.length ? `, flaky (passed on the second run): ${flaky.join(', ')}` : ''}`)
process.exit(failed.length ? 1 : 0)
