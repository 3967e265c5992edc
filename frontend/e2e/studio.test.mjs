// Browser tests of the whole path: chromium → nginx (the repository's nginx.conf, with its CSP) →
// backend jar in demo mode. Run with `node --test e2e/` (needs backend/target/volc-image-studio.jar,
// nginx and /usr/bin/chromium). E2E_KEEP_TMP=1 keeps the temp dir with the backend and nginx logs.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { launchBrowser, openStudio as open, screenshotDir, screenshotOnFailure as guard } from './browser.mjs'
import { startStack, stopStack } from './stack.mjs'

const PROMPT = '一只可爱的猫咪在阳光下，水彩风格'

let stack
let browser

before(async () => {
  stack = await startStack()
  browser = await launchBrowser()
}, { timeout: 150_000 })

after(async () => {
  await browser?.closeAll()
  await stopStack(stack)
}, { timeout: 60_000 })

const openStudio = () => open(browser, stack.baseUrl)
const screenshotOnFailure = (page, name, body) => guard(stack, page, name, body)

test('generates an image from a Chinese prompt in demo mode, through nginx and under its CSP', { timeout: 120_000 }, async () => {
  const { page, problems, generateRequests, requests } = await openStudio()
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
    assert.match(generateRequests[0].headers()['idempotency-key'] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    // Progress came over the page's one event stream: no per-task streams, no polling of the task.
    assert.equal(requests.filter((r) => r.path === '/api/v1/events').length, 1, 'one EventSource')
    assert.equal(requests.filter((r) => /^\/api\/v1\/task\/[^/]+(\/events)?$/.test(r.path)).length, 0, 'no per-task requests')
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
