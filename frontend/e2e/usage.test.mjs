// The usage panel (API使用统计面板) against the real stack with a monthly quota: an image generated in
// demo mode shows up in today's count, the cards, the chart and the per-model table; the labels follow
// a language switch; a range without usage shows the empty state; a backwards range is refused inline;
// a task that ends while the panel is open updates it.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { api, axeFindings, injectAxe, launchBrowser, openStudio, screenshotOnFailure, submitPrompt, waitForImages } from './browser.mjs'
import { frontendDir, startStack, stopStack } from './stack.mjs'

// Git-ignored, for looking at the panel in both themes and on a phone.
const screenshots = join(frontendDir, 'build', 'screenshots')

const QUOTA = 50

let stack
let browser

before(async () => {
  stack = await startStack({ env: { MONTHLY_IMAGE_QUOTA: String(QUOTA) } })
  browser = await launchBrowser()
}, { timeout: 150_000 })

after(async () => {
  await browser?.closeAll()
  await stopStack(stack)
}, { timeout: 60_000 })

const escape = (value) => String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// The range choices are visually hidden radios inside their labels: click the label, as a person would.
async function chooseRange(page, range) {
  await page.locator('label').filter({ has: page.getByTestId(`usage-range-${range}`) }).click()
}

// The task at path (picked out of the answer by pick), once it has completed.
async function completed(path, pick = (body) => body) {
  let task
  for (let tries = 0; task?.status !== 'completed' && tries < 80; tries++) {
    if (tries) await new Promise((resolve) => setTimeout(resolve, 250))
    task = pick(await api(stack, path))
  }
  assert.equal(task?.status, 'completed', `${path} completed`)
  return task
}

async function text(page, testId) {
  return (await page.getByTestId(testId).innerText()).trim()
}

test('shows today’s generation in the usage panel, in Chinese and English, and an empty range', { timeout: 120_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'usage', async () => {
    await submitPrompt(page, '用量统计测试：晨雾中的竹林')
    await waitForImages(page, 1)
    // The images show while the task is still finishing; its own record, once completed, says how many.
    const task = await completed('/api/v1/tasks?limit=1', (body) => body.items[0])
    const images = task.images.length
    const usage = await api(stack, '/api/v1/usage')
    assert.equal(usage.today.images, images, 'the server counted the images')
    const { models } = await api(stack, '/api/v1/models')
    const model = models.find((m) => m.id === task.model)

    // usage.changed brings the status bar's quota up to date at once, not at its next 30 s refresh.
    await page.getByTestId('quota').filter({ hasText: `配额 ${images} / ${QUOTA}` }).waitFor({ timeout: 5_000 })

    // From the status bar's quota.
    await page.getByTestId('quota-usage-open').click()
    const dialog = page.getByTestId('usage-dialog')
    await dialog.waitFor({ state: 'visible' })
    await page.getByTestId('usage-today').filter({ hasText: `今天：${images} 张图片 · 1 个任务` }).waitFor()
    assert.match(await text(page, 'usage-card-images'), new RegExp(`生成图片\\s+${images}`))
    assert.match(await text(page, 'usage-card-tasks'), /任务数\s+1/)
    assert.match(await text(page, 'usage-card-cost'), new RegExp(escape(`¥${Number(usage.estimated_cost_cny).toFixed(2)}`)))
    // The shipped catalogue has no prices yet, so the note says why the cost is ¥0.00.
    assert.match(await text(page, 'usage-cost-note'), Number(usage.estimated_cost_cny) === 0 ? /未设置单价/ : /估算/)
    assert.equal(await text(page, 'usage-quota'), `本月配额：已用 ${images} / ${QUOTA} 张`)
    assert.equal(await page.getByTestId('usage-quota-bar').getAttribute('aria-valuenow'), String(Math.round((images / QUOTA) * 100)))

    const row = page.locator(`[data-testid=usage-model-row][data-model="${task.model}"]`)
    assert.match(await row.innerText(), new RegExp(`${escape(model.name.zh)}\\s+${images}\\s+1\\s+0`))
    const today = usage.to
    const bar = page.locator(`[data-testid=usage-bar][data-date="${today}"]`)
    assert.match(await bar.getAttribute('aria-label'), new RegExp(`${today}：${images} 张图片，1 个任务`))
    // The table twin of the chart, behind its disclosure.
    await page.getByTestId('usage-daily').locator('summary').click()
    assert.match(await page.locator(`[data-testid=usage-day-row][data-date="${today}"]`).innerText(), new RegExp(`${today}\\s+${images}\\s+1`))

    // Tab cycles inside the dialog: past the range radios (one Tab stop) and the table disclosure.
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab')
      assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), `Tab ${i + 1} stayed in the dialog`)
    }

    await mkdir(screenshots, { recursive: true })
    await dialog.screenshot({ path: join(screenshots, 'usage-light.png') })
    await injectAxe(page)
    const findings = await axeFindings(page, 'usage light')

    // Escape closes it and gives focus back; the language switch relabels everything; U reopens it.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'quota-usage-open')
    await page.getByTestId('lang-toggle').click()
    await page.getByTestId('theme-toggle').click()
    await page.keyboard.press('u')
    await dialog.waitFor({ state: 'visible' })
    await page.getByTestId('usage-today').filter({ hasText: `Today — images: ${images}, tasks: 1` }).waitFor()
    assert.equal((await dialog.locator('#usage-title').innerText()).trim(), 'Usage')
    assert.match(await text(page, 'usage-card-images'), new RegExp(`Images\\s+${images}`))
    assert.equal(await text(page, 'usage-quota'), `Monthly quota: ${images} of ${QUOTA} images used`)
    assert.match(await row.innerText(), new RegExp(`${escape(model.name.en)}\\s+${images}`))
    await dialog.screenshot({ path: join(screenshots, 'usage-dark.png') })
    findings.push(...(await axeFindings(page, 'usage dark, English')))
    assert.deepEqual(findings, [])

    // A custom range in the past: nothing there, so the empty state and no chart.
    await chooseRange(page, 'custom')
    await page.getByTestId('usage-from').fill('2025-01-01')
    await page.getByTestId('usage-to').fill('2025-01-31')
    await page.getByTestId('usage-empty').waitFor({ state: 'visible' })
    assert.match(await text(page, 'usage-range-text'), /2025-01-01 to 2025-01-31/)
    assert.match(await text(page, 'usage-card-images'), /Images\s+0/)
    assert.equal(await page.getByTestId('usage-chart').count(), 0)
    // Today's and this month's figures stay whatever the range.
    assert.match(await text(page, 'usage-today'), new RegExp(`Today — images: ${images},`))

    // An end before the start is said next to the field, without asking the server.
    await page.getByTestId('usage-to').fill('2024-12-01')
    await page.getByTestId('usage-to-error').filter({ hasText: 'cannot be before' }).waitFor()

    // "Last 30 days" brings today's usage back.
    await chooseRange(page, 'last30')
    await page.getByTestId('usage-chart').waitFor()
    assert.equal(await page.getByTestId('usage-bar').count(), 30)

    // A task that ends while the panel is open is counted without reopening it.
    const more = await api(stack, '/api/v1/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: '用量统计测试：第二个任务', model: task.model }),
    })
    const second = await completed(`/api/v1/task/${more.task_id}`)
    await page.getByTestId('usage-today').filter({ hasText: `images: ${images + second.images.length}, tasks: 2` }).waitFor({ timeout: 10_000 })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(screenshots, 'usage-phone.png') })

    // The shortcut list names the U key.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await page.keyboard.press('Shift+Slash')
    await page.getByTestId('help-dialog').filter({ hasText: 'Open usage statistics' }).waitFor()
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('a submit over the monthly quota is refused before it is queued, with a toast that says why', { timeout: 90_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'usage-quota', async () => {
    const { quota } = await api(stack, '/api/v1/usage')
    const json = { 'Content-Type': 'application/json' }
    // Queued images count against the quota: a paused batch takes what is left of it.
    await api(stack, '/api/v1/queue/pause', { method: 'POST' })
    const prompts = Array.from({ length: QUOTA - quota.used }, (_, i) => `配额占位 ${i}`)
    const batch = await api(stack, '/api/v1/generate/batch', { method: 'POST', headers: json, body: JSON.stringify({ prompts }) })
    try {
      const before = (await api(stack, '/api/v1/tasks?status=pending&limit=100')).items.length
      await submitPrompt(page, '超出配额的任务')
      const toast = page.getByText(/已达到每月图片配额|Monthly image quota reached/)
      await toast.waitFor({ timeout: 10_000 })
      assert.match(await toast.innerText(), new RegExp(`${quota.used}.*${prompts.length}.*${QUOTA}`, 's'))
      assert.equal((await api(stack, '/api/v1/tasks?status=pending&limit=100')).items.length, before, 'nothing was queued')
      // The refused POST is the only console error: the browser reports every 4xx it loads.
      assert.deepEqual(problems.filter((text) => !/429/.test(text)), [])
    } finally {
      for (const id of batch.task_ids) await api(stack, `/api/v1/task/${id}`, { method: 'DELETE' })
      await api(stack, '/api/v1/queue/resume', { method: 'POST' })
    }
  })
  await page.close()
})
