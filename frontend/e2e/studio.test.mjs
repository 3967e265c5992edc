// Browser tests of the whole path: chromium → nginx (the repository's nginx.conf, with its CSP) →
// backend jar in demo mode. Run with `node --test e2e/` (needs backend/app/target/volc-image-studio.jar,
// nginx and /usr/bin/chromium). E2E_KEEP_TMP=1 keeps the temp dir with the backend and nginx logs.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { launchBrowser, openStudio as open, screenshotDir, screenshotOnFailure as guard } from './browser.mjs'
import { emulatorEndpoint, pauseProxy, resumeProxy, startStack, stopStack } from './stack.mjs'

const PROMPT = '一只可爱的猫咪在阳光下，水彩风格'

let stack
let browser

before(async () => {
  // Quick images and room for many at once: the history test makes 22 tasks before it can look
  // at the second page (at the defaults, 1.5 s each two at a time, that alone took 20 s).
  // VOLC_OUTAGE_AFTER / _PROBE: the outage test's circuit opens after three failures and asks again after 1 s.
  stack = await startStack({
    env: { DEMO_LATENCY: '300ms', VOLC_QPS: '20', VOLC_CONCURRENCY: '8', MAX_CONCURRENT_TASKS: '8', VOLC_OUTAGE_AFTER: '3', VOLC_OUTAGE_PROBE: '1s' },
  })
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

test('shows the offline banner while the event stream is down, and reloads the task list once it is back', { timeout: 60_000 }, async () => {
  const { page, problems, requests } = await openStudio()
  await screenshotOnFailure(page, 'offline', async () => {
    const taskListLoads = () => requests.filter((r) => r.path === '/api/v1/tasks').length
    await until(() => taskListLoads() === 1, 'the first task list load, when the stream opened')
    const banner = page.getByTestId('stream-offline')
    assert.equal(await banner.isVisible(), false)

    await pauseProxy(stack)
    await banner.waitFor({ state: 'visible', timeout: 15_000 })
    assert.match(await banner.innerText(), /正在重新连接/)
    await resumeProxy(stack)
    await banner.waitFor({ state: 'hidden', timeout: 40_000 })
    await until(() => taskListLoads() >= 2, 'a task list reload after the reconnect')
    // Chromium logs the cut stream and refused requests during the outage; nothing else may be reported.
    assert.deepEqual(problems.filter((text) => !/net::ERR_/.test(text)), [])
  })
  await page.close()
})

test('an outage of the service: the status bar says the task waits and when the next check is, then it finishes', { timeout: 90_000 }, async () => {
  const emulator = emulatorEndpoint(stack)
  const { page, problems } = await openStudio()
  // However the test ends, the emulator answers again: the file's other tests share it.
  const clearFaults = () => fetch(`${emulator}/_emulator/faults`, { method: 'DELETE' })
  try {
    await outageSeenAndOver(page, emulator, clearFaults, problems)
  } finally {
    await clearFaults().catch(() => {})
    await page.close()
  }
})

async function outageSeenAndOver(page, emulator, clearFaults, problems) {
  await screenshotOnFailure(page, 'outage', async () => {
    const faults = await fetch(`${emulator}/_emulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: 50500, probability: 1 }),
    })
    assert.equal(faults.status, 201)
    const prompt = '停机测试：雨后的石板路'
    await page.getByTestId('prompt').fill(prompt)
    await page.getByTestId('prompt').press('Control+Enter')

    const outage = page.getByTestId('outage')
    await outage.waitFor({ state: 'visible', timeout: 30_000 })
    assert.equal(await outage.getAttribute('data-provider'), 'visual')
    const text = await outage.innerText()
    assert.match(text, /^火山引擎暂时无法连接 — 1 个任务等待中，(\d+ 秒后重新检查|正在重新检查)$/)
    // Checks at 1 s, then 2 s apart (VOLC_OUTAGE_PROBE=1s): the countdown never shows more, give or take its tick.
    assert.ok(Number(text.match(/(\d+) 秒后/)?.[1] ?? 0) <= 3, text)
    await mkdir(screenshotDir, { recursive: true })
    await page.getByTestId('outage').screenshot({ path: join(screenshotDir, 'status-bar-outage.png') })

    assert.equal((await clearFaults()).status, 204)
    await outage.waitFor({ state: 'hidden', timeout: 30_000 })
    await page.locator(`[data-testid=result-image][alt="${prompt}"]`).waitFor({ timeout: 30_000 })
    assert.deepEqual(problems, [])
  })
}

async function until(condition, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test('history loads the next page when its end scrolls into view', { timeout: 120_000 }, async () => {
  // More finished tasks than one page (20) holds, made through the API.
  const ids = []
  for (let i = 0; i < 22; i++) {
    const response = await fetch(`${stack.baseUrl}/api/v1/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: `分页测试 ${i}` }),
    })
    assert.equal(response.status, 202)
    ids.push((await response.json()).task_id)
  }
  const finished = async () => {
    const { total } = await (await fetch(`${stack.baseUrl}/api/v1/history?limit=1&q=${encodeURIComponent('分页测试')}`)).json()
    return total === ids.length
  }
  const deadline = Date.now() + 90_000
  while (!(await finished())) {
    if (Date.now() > deadline) throw new Error('the tasks did not finish')
    await new Promise((resolve) => setTimeout(resolve, 500))
  }

  const { page, problems } = await openStudio()
  await screenshotOnFailure(page, 'history-pages', async () => {
    const entries = page.getByTestId('history-item')
    const count = async (n) => {
      await page
        .waitForFunction((n) => document.querySelectorAll('[data-testid=history-item]').length === n, n, { timeout: 10_000 })
        .catch(async () => assert.fail(`expected ${n} history entries, found ${await entries.count()}`))
    }
    // The unfiltered first page may hold only these tasks too; the search's total tells them apart.
    await page.getByTestId('history-search').fill('分页测试')
    await page.getByText(`共 ${ids.length} 条`).waitFor()
    await count(20)
    await entries.last().scrollIntoViewIfNeeded()
    await count(22)
    await page.getByText('没有更多了').waitFor()
    assert.deepEqual(problems, [])
  })
  await page.close()
})
