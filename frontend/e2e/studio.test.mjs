// Browser tests of the whole path: chromium → nginx (the repository's nginx.conf, with its CSP) →
// backend jar in demo mode. Run with `node --test e2e/` (needs backend/target/volc-image-studio.jar,
// nginx and /usr/bin/chromium). E2E_KEEP_TMP=1 keeps the temp dir with the backend and nginx logs.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { frontendDir, logTail, startStack, stopStack } from './stack.mjs'

const screenshotDir = join(frontendDir, 'build', 'e2e')
const PROMPT = '一只可爱的猫咪在阳光下，水彩风格'

let stack
let browser
let profileDir

before(async () => {
  stack = await startStack()
  profileDir = await mkdtemp(join(tmpdir(), 'volc-studio-chromium-'))
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    locale: 'zh-CN',
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}, { timeout: 150_000 })

after(async () => {
  await browser?.close().catch(() => {})
  await stopStack(stack)
  if (profileDir) await rm(profileDir, { recursive: true, force: true })
}, { timeout: 60_000 })

// A fresh page that records console errors (CSP violations are reported there) and API calls.
async function openStudio() {
  const page = await browser.newPage()
  const problems = []
  const generateRequests = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/generate') {
      generateRequests.push(request)
    }
  })
  await page.goto(stack.baseUrl)
  // The model list arrives asynchronously; a submit before it would only test the "no model" error.
  await page.locator('[data-testid=model-select] option[value]:not([value=""])').first().waitFor({ state: 'attached' })
  return { page, problems, generateRequests }
}

async function screenshotOnFailure(page, name, body) {
  try {
    await body()
  } catch (error) {
    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, `${name}-failure.png`), fullPage: true }).catch(() => {})
    error.message += `\n--- backend log ---\n${logTail(stack.backend.log)}\n--- nginx error log ---\n${logTail(stack.nginx.log)}`
    throw error
  }
}

test('generates an image from a Chinese prompt in demo mode, through nginx and under its CSP', { timeout: 120_000 }, async () => {
  const { page, problems, generateRequests } = await openStudio()
  await screenshotOnFailure(page, 'studio', async () => {
    const badge = page.locator('[data-testid=mode-badge][data-mode=demo]')
    await badge.waitFor({ state: 'visible', timeout: 15_000 })
    assert.match(await badge.innerText(), /演示模式/)

    const prompt = page.getByTestId('prompt')
    await prompt.click()
    await prompt.pressSequentially(PROMPT)
    await prompt.press('Control+Enter')

    const image = page.getByTestId('result-image').first()
    await image.waitFor({ state: 'visible', timeout: 60_000 })
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle(), {
      timeout: 15_000,
    })
    assert.equal(generateRequests.length, 1, 'exactly one generate request')
    assert.equal(await image.getAttribute('alt'), PROMPT)

    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, 'studio.png') })
    assert.deepEqual(problems, [], 'no console errors (CSP violations are reported there)')
  })
  await page.close()
})

test('an empty prompt shows the field error and creates no task', { timeout: 60_000 }, async () => {
  const { page, problems, generateRequests } = await openStudio()
  await screenshotOnFailure(page, 'empty-prompt', async () => {
    await page.getByTestId('generate').click()

    const error = page.getByTestId('field-error-prompt')
    await error.waitFor({ state: 'visible', timeout: 5_000 })
    assert.notEqual((await error.innerText()).trim(), '')
    assert.equal(await page.getByTestId('prompt').getAttribute('aria-invalid'), 'true')
    // Validation runs before any request is made, so a request would already have been recorded.
    assert.equal(generateRequests.length, 0, 'no generate request was sent')
    assert.equal(await page.getByTestId('task-progress').count(), 0)
    assert.deepEqual(problems, [])
  })
  await page.close()
})
