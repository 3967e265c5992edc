// The right column against the emulator (1 s per image; a prompt marked __latency_4000ms__ keeps its
// task running long enough to be cancelled from the page). Covers the queue (cancel, retry, a failure's message and code), the history
// (live entry, ★ that survives a reload, re-use, delete with confirmation) and takes the screenshots
// of the column in both themes (frontend/build/screenshots/, git-ignored).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { api, axeFindings, expectText, historyItem, injectAxe, launchBrowser, openStudio, queueItem, screenshotOnFailure, submitPrompt, waitForModels } from './browser.mjs'
import { frontendDir, startStack, stopStack } from './stack.mjs'

const screenshots = join(frontendDir, 'build', 'screenshots')

let stack
let browser

before(async () => {
  stack = await startStack({ env: { DEMO_LATENCY: '1s' } })
  browser = await launchBrowser()
}, { timeout: 150_000 })

after(async () => {
  await browser?.closeAll()
  await stopStack(stack)
}, { timeout: 60_000 })

test('cancels a running task from the queue, shows it cancelled, and runs it again with Retry', { timeout: 90_000 }, async () => {
  const { page, problems, requests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'cancel', async () => {
    const prompt = '取消测试：雨夜的霓虹街道 __latency_4000ms__'
    await submitPrompt(page, prompt)

    const item = queueItem(page, prompt)
    await item.getByTestId('queue-cancel').click({ timeout: 10_000 })
    await item.and(page.locator('[data-status=cancelled]')).waitFor({ timeout: 10_000 })
    assert.equal((await item.getByTestId('queue-status').innerText()).trim(), '已取消')
    assert.ok(requests.some((r) => r.method === 'POST' && /\/task\/[^/]+\/cancel$/.test(r.path)), 'cancel was posted')

    const taskId = await item.getAttribute('data-task-id')
    assert.equal((await api(stack, `/api/v1/task/${taskId}`)).status, 'cancelled', 'the server agrees')
    // The result grid says so too, instead of a skeleton that waits for ever.
    await page.getByTestId('result-failed').filter({ hasText: '已取消' }).waitFor()

    await item.getByTestId('queue-retry').click()
    // A retried task runs to completion, leaves the queue and turns up in the history.
    await item.waitFor({ state: 'detached', timeout: 30_000 })
    await historyItem(page, prompt).getByTestId('history-thumbnail').waitFor()
    assert.equal((await api(stack, `/api/v1/task/${taskId}`)).status, 'completed')
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('a failed task shows the server’s message and code in the queue, with Retry', { timeout: 60_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'failed', async () => {
    // The built-in emulator fails a prompt carrying __fault_<code>__ with that upstream code.
    const prompt = '审核测试 __fault_50412__'
    await submitPrompt(page, prompt)
    const item = queueItem(page, prompt)
    await item.and(page.locator('[data-status=failed]')).waitFor({ timeout: 30_000 })
    const error = await item.getByTestId('queue-error').innerText()
    assert.match(error, /提示词未通过内容审核/)
    assert.match(error, /50412/)
    await item.getByTestId('queue-retry').waitFor()

    // English shows the English explanation.
    await page.getByTestId('lang-toggle').click()
    assert.match(await item.getByTestId('queue-error').innerText(), /did not pass content moderation/)
    await page.getByTestId('lang-toggle').click()

    await item.getByTestId('queue-dismiss').click()
    assert.equal(await item.count(), 0)
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('history lists the generated task; ★ persists after a reload; re-use fills the form; delete asks first', { timeout: 90_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'history', async () => {
    const prompt = '历史测试：山间的清晨薄雾'
    await submitPrompt(page, prompt)

    const entry = historyItem(page, prompt)
    await entry.waitFor({ timeout: 30_000 })
    await entry.getByTestId('history-thumbnail').waitFor()
    const taskId = await entry.getAttribute('data-task-id')

    const star = entry.getByTestId('history-favourite')
    assert.equal(await star.getAttribute('aria-pressed'), 'false')
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/task/${taskId}/favourite`) && r.ok()),
      star.click(),
    ])
    assert.equal(await star.getAttribute('aria-pressed'), 'true')

    await page.reload()
    await waitForModels(page)
    const reloaded = historyItem(page, prompt)
    await reloaded.waitFor()
    assert.equal(await reloaded.getByTestId('history-favourite').getAttribute('aria-pressed'), 'true', '★ survived the reload')
    assert.equal((await api(stack, `/api/v1/task/${taskId}`)).favourite, true)

    // Favourites only, then a search that matches nothing.
    await page.getByTestId('history-favourites').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-item]').length > 0)
    for (const favourite of await page.locator('[data-testid=history-item]').all()) {
      assert.equal(await favourite.getAttribute('data-favourite'), 'true')
    }
    await page.getByTestId('history-favourites').click()
    await page.getByTestId('history-search').fill('没有这样的提示词')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-item]').length === 0)
    await page.getByTestId('history-search').fill('山间')
    await reloaded.waitFor()

    // Re-use: the form takes the task's prompt and seed.
    await reloaded.getByTestId('history-reuse').click()
    assert.equal(await page.getByTestId('prompt').inputValue(), prompt)
    const task = await api(stack, `/api/v1/task/${taskId}`)
    const seed = page.locator('#seed')
    if (await seed.count()) assert.equal(await seed.inputValue(), String(task.seed))

    // Delete asks first; Keep leaves it, the confirm button deletes it on the server.
    await reloaded.getByTestId('history-delete').click()
    await reloaded.getByRole('button', { name: '保留' }).click()
    assert.equal(await reloaded.count(), 1)
    await reloaded.getByTestId('history-delete').click()
    await reloaded.getByTestId('history-confirm-delete').click()
    await reloaded.waitFor({ state: 'detached' })
    const gone = await fetch(`${stack.baseUrl}/api/v1/task/${taskId}`)
    assert.equal(gone.status, 404)
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('model options are sent with the request, and so is an Idempotency-Key', { timeout: 60_000 }, async () => {
  const models = (await api(stack, '/api/v1/models')).models
  const model = models.find((m) => m.available && m.options?.some((o) => o.name === 'use_pre_llm'))
  assert.ok(model, 'a model with the use_pre_llm option')
  const { page, problems, generateRequests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'options', async () => {
    await page.getByTestId('model-select').selectOption(model.id)
    await page.getByRole('button', { name: '高级参数' }).click()
    const option = page.getByTestId('option-use_pre_llm')
    assert.equal(await option.getAttribute('aria-checked'), String(Boolean(model.options[0].default)))
    await option.click()
    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/generate'))
    await submitPrompt(page, '选项测试：海边的灯塔')
    const request = await sent
    assert.deepEqual(JSON.parse(request.postData()).options, { use_pre_llm: !model.options[0].default })
    assert.ok(request.headers()['idempotency-key'])
    assert.equal(generateRequests.length, 1)
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('screenshots of the right column in light and dark', { timeout: 90_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'screenshots', async () => {
    // Something in every state: a failure with its code, a finished task, and one still running.
    await submitPrompt(page, '截图：被拒绝的提示词 __fault_50413__')
    await queueItem(page, '被拒绝的提示词').and(page.locator('[data-status=failed]')).waitFor({ timeout: 30_000 })
    await submitPrompt(page, '截图：运行中的任务，一只在窗台上晒太阳的橘猫 __latency_4000ms__')
    await queueItem(page, '橘猫').getByTestId('task-progress').waitFor()

    // And a starred entry, to see the filled star: the previous test's task, finished by now on a quiet
    // machine, later on a busy one.
    await historyItem(page, '海边的灯塔').waitFor({ timeout: 60_000 })
    const starred = historyItem(page, '海边的灯塔').getByTestId('history-favourite')
    if ((await starred.getAttribute('aria-pressed')) !== 'true') await starred.click()
    await historyItem(page, '海边的灯塔').and(page.locator('[data-favourite=true]')).waitFor()

    await mkdir(screenshots, { recursive: true })
    const column = page.getByTestId('right-column')
    // Toasts float over the column's corner; a taller window shows more of the history below the queue.
    for (const close of await page.getByRole('button', { name: '关闭提示' }).all()) await close.click()
    await page.setViewportSize({ width: 1440, height: 1500 })
    for (const theme of ['light', 'dark']) {
      const dark = await page.evaluate(() => document.documentElement.classList.contains('dark'))
      if (dark !== (theme === 'dark')) await page.getByTestId('theme-toggle').click()
      await page.waitForTimeout(400) // the theme transition
      await column.screenshot({ path: join(screenshots, `right-column-${theme}.png`) })
      await page.screenshot({ path: join(screenshots, `studio-${theme}.png`) })
    }
    await page.setViewportSize({ width: 1440, height: 900 })
    // Clean-up only: the task may have finished while the pictures were taken (the column is taller now).
    const cancel = queueItem(page, '橘猫').getByTestId('queue-cancel')
    // It may also finish between the look and the click (seen in CI): then there is nothing to clean up.
    if (await cancel.isVisible()) await cancel.click({ timeout: 2_000 }).catch(() => {})
    assert.deepEqual(problems, [])
  })
  await page.close()
})

// Pause, move to the front and resume, all from the page, with the server as the judge of what happened:
// while paused the new tasks stay pending with their places in line; the moved one is first (queue_position
// 1 from the API as on its card); another client's move reaches the page through queue.changed alone
// (only the moved task gets an event, so the other cards' new places come from the queue's order); and
// after resume they run, the moved ones first. In both languages, with screenshots of the paused column.
test('pauses the queue, moves a waiting task to the front, and resumes, in Chinese and English', { timeout: 120_000 }, async () => {
  const { page, problems, requests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'pause', async () => {
    const pause = page.getByTestId('queue-pause')
    const banner = page.getByTestId('queue-paused')
    const summary = page.getByTestId('queue-summary')
    await pause.waitFor()
    assert.equal(await pause.getAttribute('aria-label'), '暂停队列')
    assert.equal((await pause.innerText()).trim(), '暂停')
    assert.equal(await banner.isVisible(), false)

    await pause.click()
    await banner.waitFor()
    assert.match(await banner.innerText(), /队列已暂停/)
    assert.equal(await pause.getAttribute('aria-label'), '继续队列')
    await summary.and(page.locator('[data-paused]')).waitFor()
    assert.match(await summary.innerText(), /^队列已暂停 · 等待 0$/)
    assert.equal((await api(stack, '/api/v1/queue')).paused, true, 'the server agrees')
    await expectText(page.getByTestId('queue-notice'), '队列已暂停')

    // Three tasks while paused: each waits, in the order of submission.
    const names = ['暂停测试：甲 雪中的红色灯笼', '暂停测试：乙 竹林里的小路', '暂停测试：丙 黄昏的渔船']
    const items = []
    for (const [i, name] of names.entries()) {
      await submitPrompt(page, name)
      const item = queueItem(page, name)
      await item.and(page.locator(`[data-position="${i + 1}"]`)).waitFor({ timeout: 10_000 })
      items.push(item)
    }
    const [first, second, third] = items
    const ids = await Promise.all(items.map((item) => item.getAttribute('data-task-id')))
    assert.equal((await third.getByTestId('queue-stage').innerText()).trim(), '排队第 3 位 · 已暂停')
    await expectText(summary, '队列已暂停 · 等待 3')
    // The first in line has nowhere to go: its button says so without leaving the tab order.
    assert.equal(await first.getByTestId('queue-move-to-front').getAttribute('aria-disabled'), 'true')

    // Move the third to the front, from the keyboard.
    const move = third.getByTestId('queue-move-to-front')
    assert.equal((await move.innerText()).trim(), '移到最前')
    assert.equal(await move.getAttribute('aria-disabled'), null)
    await move.focus()
    await page.keyboard.press('Enter')
    await third.and(page.locator('[data-position="1"]')).waitFor()
    await first.and(page.locator('[data-position="2"]')).waitFor()
    await second.and(page.locator('[data-position="3"]')).waitFor()
    assert.equal(await move.getAttribute('aria-disabled'), 'true')
    assert.equal(await move.evaluate((button) => button === document.activeElement), true, 'focus stays on the button')
    await expectText(page.getByTestId('queue-notice'), '已移到最前：暂停测试：丙')
    assert.ok(requests.some((r) => r.method === 'POST' && r.path === `/api/v1/task/${ids[2]}/move-to-front`))
    assert.equal((await api(stack, `/api/v1/task/${ids[2]}`)).queue_position, 1, 'the API puts it first too')
    assert.deepEqual((await api(stack, '/api/v1/queue')).waiting.slice(0, 3), [ids[2], ids[0], ids[1]])

    // Another client moves the second: the page follows without a click.
    await api(stack, `/api/v1/task/${ids[1]}/move-to-front`, { method: 'POST' })
    await second.and(page.locator('[data-position="1"]')).waitFor()
    await third.and(page.locator('[data-position="2"]')).waitFor()
    await first.and(page.locator('[data-position="3"]')).waitFor()

    // Nothing started while paused.
    for (const id of ids) assert.equal((await api(stack, `/api/v1/task/${id}`)).status, 'pending')
    for (const item of items) assert.equal(await item.getAttribute('data-status'), 'pending')

    await mkdir(screenshots, { recursive: true })
    for (const close of await page.getByRole('button', { name: '关闭提示' }).all()) await close.click()
    const column = page.getByTestId('right-column')
    // The paused banner, the status bar's amber line and the card buttons must read in every theme too.
    await injectAxe(page)
    const findings = []
    const shoot = async (lang) => {
      for (const theme of ['light', 'dark']) {
        const dark = await page.evaluate(() => document.documentElement.classList.contains('dark'))
        if (dark !== (theme === 'dark')) await page.getByTestId('theme-toggle').click()
        await page.waitForTimeout(400) // the theme transition
        findings.push(...(await axeFindings(page, `paused ${theme} ${lang}`)))
        await column.screenshot({ path: join(screenshots, `queue-paused-${lang}-${theme}.png`) })
        await page.screenshot({ path: join(screenshots, `studio-paused-${lang}-${theme}.png`) })
      }
    }
    await shoot('zh')

    // English says the same.
    await page.getByTestId('lang-toggle').click()
    assert.equal(await pause.getAttribute('aria-label'), 'Resume queue')
    assert.equal((await pause.innerText()).trim(), 'Resume')
    assert.match(await banner.innerText(), /Queue paused: waiting tasks do not start until you resume/)
    assert.equal((await second.getByTestId('queue-stage').innerText()).trim(), '#1 in line · paused')
    assert.equal((await first.getByTestId('queue-move-to-front').innerText()).trim(), 'Move to front')
    await expectText(summary, 'Queue paused · 3 waiting')
    await shoot('en')
    assert.deepEqual(findings, [])

    // Resume (from English): they run, the two moved ones before the first submitted.
    await pause.click()
    await banner.waitFor({ state: 'hidden' })
    assert.equal(await pause.getAttribute('aria-label'), 'Pause queue')
    await summary.and(page.locator(':not([data-paused])')).waitFor()
    assert.match(await summary.innerText(), /^Queue \d\/2 running · \d+ waiting$/)
    await expectText(page.getByTestId('queue-notice'), 'Queue resumed')
    for (const item of items) await item.waitFor({ state: 'detached', timeout: 40_000 })
    const done = await Promise.all(ids.map((id) => api(stack, `/api/v1/task/${id}`)))
    assert.deepEqual(done.map((task) => task.status), ['completed', 'completed', 'completed'])
    const started = done.map((task) => Date.parse(task.started_at))
    assert.ok(Math.max(started[1], started[2]) <= started[0], `the moved ones started first: ${done.map((t) => t.started_at)}`)
    assert.ok(['pause', 'resume'].every((action) => requests.some((r) => r.method === 'POST' && r.path === `/api/v1/queue/${action}`)))

    // A pause from elsewhere shows here too, and so does its end.
    await api(stack, '/api/v1/queue/pause', { method: 'POST' })
    await banner.waitFor()
    assert.equal(await pause.getAttribute('aria-label'), 'Resume queue')
    await api(stack, '/api/v1/queue/resume', { method: 'POST' })
    await banner.waitFor({ state: 'hidden' })

    // Back to Chinese and light for whatever runs next in this browser profile.
    await page.getByTestId('lang-toggle').click()
    if (await page.evaluate(() => document.documentElement.classList.contains('dark'))) await page.getByTestId('theme-toggle').click()
    assert.deepEqual(problems, [])
  })
  await page.close()
})
