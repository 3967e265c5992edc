// Runs the browser test files one after another (each starts its own backend and nginx). A file that
// fails is run once more and reported as flaky if it then passes: a known, not yet found race
// (an occasional 500 around the login in auth.test.mjs, once in CI) must not hide the other files'
// results, and it stays visible in the output.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const files = readdirSync(dir).filter((name) => name.endsWith('.test.mjs')).sort()
const run = (file) => spawnSync(process.execPath, ['--test', '--test-concurrency=1', `${dir}${file}`], { stdio: 'inherit' }).status

const failed = []
const flaky = []
for (const file of files) {
  if (run(file) === 0) continue
  console.log(`e2e: ${file} failed; running it once more`)
  if (run(file) === 0) flaky.push(file)
  else failed.push(file)
}
console.log(`e2e: ${files.length} files, ${failed.length} failed${flaky.length ? `, flaky (passed on the second run): ${flaky.join(', ')}` : ''}`)
process.exit(failed.length ? 1 : 0)
