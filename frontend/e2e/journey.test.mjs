// The user journey of issue 5 through the real stack (chromium → nginx with its CSP → backend jar in
// demo mode, DEMO_LATENCY=1s; a prompt marked __latency_3000ms__ runs long enough to be cancelled or
// reloaded): a batch of 3 with
// its estimate, the lightbox (navigation, zoom, star, copy, re-use), history search, presets, cancel,
// retry, the audit explanation, theme and language, shortcuts, a reload mid-generation, the mobile
// drawer, axe-core in both themes and languages, and the screenshots under frontend/build/e2e/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  api,
  axeFindings,
  expectText,
  historyItem,
  injectAxe,
  launchBrowser,
  openStudio,
  queueItem,
  screenshotDir,
  screenshotOnFailure,
  submitPrompt,
  waitForModels,
} from './browser.mjs'
import { startStack, stopStack } from './stack.mjs'

let stack
let browser

before(async () => {
  stack = await startStack({ env: { DEMO_LATENCY: '1s', VOLC_MAX_RETRIES: '0' } })
  browser = await launchBrowser()
}, { timeout: 150_000 })

after(async () => {
  await browser?.closeAll()
  await stopStack(stack)
}, { timeout: 60_000 })

test('a batch of 3 with its estimate; the lightbox navigates, zooms, stars, copies and re-uses; history finds it', { timeout: 150_000 }, async () => {
  const { page, problems, requests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-batch', async () => {
    const tag = `批量${Date.now()}`
    await page.getByTestId('batch-toggle').click()
    await page.getByTestId('prompt').fill(`${tag} 红色的狐狸\n${tag} 绿色的森林\n${tag} 蓝色的海洋`)
    // The dry run prices the batch before anything is submitted.
    await expectText(page.getByTestId('batch-estimate'), /3 个任务 · 3 张图片/)
    assert.ok(requests.some((r) => r.method === 'POST' && r.path === '/api/v1/generate/batch'), 'a dry run was posted')
    assert.equal((await api(stack, `/api/v1/history?q=${encodeURIComponent(tag)}`)).total, 0, 'the dry run stored nothing')

    await page.getByTestId('generate').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-image]').length === 3, null, { timeout: 60_000 })

    // Lightbox: position, ←/→, zoom by button and wheel, the star, copy prompt.
    await page.getByTestId('result-open').first().click()
    const position = page.getByTestId('lightbox-position')
    await expectText(position, /第 1 \/ 3 张/)
    await page.keyboard.press('ArrowRight')
    await expectText(position, /第 2 \/ 3 张/)
    await page.getByTestId('lightbox-next').click()
    await expectText(position, /第 3 \/ 3 张/)
    assert.equal(await page.getByTestId('lightbox-next').isDisabled(), true, 'no next after the last image')
    await page.keyboard.press('ArrowLeft')
    await expectText(position, /第 2 \/ 3 张/)

    await page.getByTestId('lightbox-zoom-in').click()
    await expectText(page.getByTestId('lightbox-zoom-reset'), /125%/)
    await page.getByTestId('lightbox-stage').hover()
    await page.mouse.wheel(0, -200)
    await page.waitForFunction(() => parseInt(document.querySelector('[data-testid=lightbox-zoom-reset]').textContent, 10) > 125)
    assert.match(await page.getByTestId('lightbox-image').evaluate((img) => img.style.transform), /scale\(1\.[3-9]/)
    await page.getByTestId('lightbox-zoom-reset').click()
    await expectText(page.getByTestId('lightbox-zoom-reset'), /100%/)

    const prompt = await page.getByTestId('lightbox-prompt').innerText()
    const favourite = page.getByTestId('lightbox-favourite')
    await favourite.click()
    await page.waitForFunction(() => document.querySelector('[data-testid=lightbox-favourite]').getAttribute('aria-pressed') === 'true')
    await page.getByTestId('lightbox-copy').click()
    await page.getByText('提示词已复制').waitFor()

    // Esc closes and gives focus back to the thumbnail that opened it.
    await page.keyboard.press('Escape')
    await page.getByTestId('lightbox').waitFor({ state: 'hidden' })
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'result-open')

    // History: the search finds the batch, and the starred task is starred there too.
    await page.getByTestId('history-search').fill(tag)
    await page.getByText('共 3 条').waitFor({ timeout: 15_000 })
    const starred = historyItem(page, prompt)
    assert.equal(await starred.getAttribute('data-favourite'), 'true')

    // Re-use from the lightbox fills the form (and leaves batch mode).
    await page.getByTestId('result-open').nth(1).click()
    await page.getByTestId('lightbox-reuse').click()
    await page.getByTestId('lightbox').waitFor({ state: 'hidden' })
    assert.equal(await page.getByTestId('batch-toggle').getAttribute('aria-checked'), 'false')
    assert.match(await page.getByTestId('prompt').inputValue(), new RegExp(tag))
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('batch over seeds × sizes: the estimate counts every combination, and bad seeds are caught before sending', { timeout: 60_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-matrix', async () => {
    await page.getByTestId('batch-toggle').click()
    await page.getByTestId('batch-kind-matrix').check()
    await page.getByTestId('prompt').fill('种子与尺寸的组合')
    await page.getByTestId('batch-seeds').fill('1, 2 3')
    const sizes = page.locator('[data-testid=batch-sizes] input[type=checkbox]')
    await sizes.nth(0).check()
    await sizes.nth(1).check()
    await expectText(page.getByTestId('batch-estimate'), /6 个任务 · 6 张图片/)

    await page.getByTestId('batch-seeds').fill('1, x')
    await page.getByTestId('generate').click()
    await expectText(page.getByTestId('batch-error'), /种子必须是整数/)
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('history filters: by model, and by date (a range in the future shows nothing)', { timeout: 60_000 }, async () => {
  const { page, problems, requests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-filters', async () => {
    await page.getByTestId('history-item').first().waitFor({ timeout: 15_000 })
    await page.getByTestId('history-filters').click()
    const model = await page.getByTestId('model-select').inputValue()
    await page.getByTestId('history-model').selectOption(model)
    await page.waitForFunction(() => document.querySelector('[data-testid=history-filters]').textContent.includes('1'))
    await page.getByTestId('history-item').first().waitFor()
    assert.ok(requests.some((r) => r.path === '/api/v1/history') , 'the history was asked again')

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    await page.getByTestId('history-from').fill(tomorrow)
    await page.getByText('没有符合条件的记录。').waitFor({ timeout: 10_000 })
    assert.equal(await page.getByTestId('history-item').count(), 0)
    await page.getByText('清除筛选').click()
    await page.getByTestId('history-item').first().waitFor()
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('presets: save the form as a preset, load it from the right column; a built-in style extends the prompt', { timeout: 60_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-presets', async () => {
    const name = `竖版 ${Date.now() % 100000}`
    await page.getByTestId('preset-save').click()
    await page.getByTestId('preset-name').fill(name)
    await page.getByTestId('preset-confirm').click()
    await page.getByText(`已保存预设“${name}”`).waitFor()
    const stored = (await api(stack, '/api/v1/presets')).items.find((preset) => preset.name === name)
    assert.ok(stored, 'the preset is on the server')

    await page.getByTestId('quick-preset').filter({ hasText: name }).click()
    await page.getByText(`已加载预设“${name}”`).waitFor()

    await page.getByTestId('prompt').fill('一只猫')
    await page.locator('[data-testid=quick-style][data-style=watercolor]').click()
    assert.equal(await page.getByTestId('prompt').inputValue(), '一只猫，水彩画风格，柔和笔触，纸张纹理')
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('cancel a slow task; a failed one (50511) runs again with Retry; an audit rejection (50411) says what to change', { timeout: 120_000 }, async () => {
  const { page, problems, requests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-failures', async () => {
    const slow = `慢任务 ${Date.now()} __latency_3000ms__`
    await submitPrompt(page, slow)
    await queueItem(page, slow).getByTestId('queue-cancel').click({ timeout: 10_000 })
    await queueItem(page, slow).and(page.locator('[data-status=cancelled]')).waitFor({ timeout: 10_000 })

    // 50511 (the generated image failed moderation) may pass next time but may be billed, so it is
    // retried VOLC_MAX_RETRIES times (0 here), then offered to the user; 5xx would be retried until
    // the task's deadline.
    const failing = `失败重试 ${Date.now()} __fault_50511__`
    await submitPrompt(page, failing)
    const failed = queueItem(page, failing).and(page.locator('[data-status=failed]'))
    await failed.waitFor({ timeout: 60_000 })
    assert.match(await failed.getByTestId('queue-error').innerText(), /50511/)
    await failed.getByTestId('queue-retry').click()
    assert.ok(requests.some((r) => r.method === 'POST' && /\/task\/[^/]+\/retry$/.test(r.path)), 'retry was posted')
    // Back in the queue, and (the marker is still in the prompt) failed again.
    await queueItem(page, failing).and(page.locator('[data-status=failed]')).waitFor({ timeout: 60_000 })

    const rejected = `审核说明 ${Date.now()} __fault_50411__`
    await submitPrompt(page, rejected)
    const hint = queueItem(page, rejected).getByTestId('queue-hint')
    await hint.waitFor({ timeout: 30_000 })
    assert.match(await hint.innerText(), /参考图未通过内容审核：请换一张图片/)
    await expectText(page.getByTestId('result-hint'), /请换一张图片/)
    // 50411 is no one's fault but the input's: not offered as a retry-may-help failure.
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('reload mid-generation: the task is still there after the reload and finishes', { timeout: 90_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-reload', async () => {
    const text = `刷新继续 ${Date.now()} __latency_3000ms__`
    await submitPrompt(page, text)
    await queueItem(page, text).getByTestId('task-progress').waitFor({ timeout: 10_000 })
    await page.reload()
    await waitForModels(page)
    // Still running after the reload (3 s per image), then done: the image appears in the grid.
    await queueItem(page, text).waitFor({ timeout: 10_000 })
    await page.locator(`[data-testid=result-image][alt="${text}"]`).waitFor({ timeout: 60_000 })
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('theme and language from the settings dialog persist; Esc, / and ? work; focus stays inside the dialog', { timeout: 60_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-settings', async () => {
    await page.getByTestId('settings-open').click()
    const dialog = page.getByTestId('settings-dialog')
    await dialog.waitFor()
    await page.getByTestId('settings-theme-dark').check()
    await page.getByTestId('settings-lang-en').check()
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), true)
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
    assert.equal((await page.locator('#settings-title').innerText()).trim(), 'Settings')

    // Tab cycles inside the dialog.
    for (let i = 0; i < 12; i++) await page.keyboard.press('Tab')
    assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), 'focus stayed in the dialog')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'settings-open')

    await page.reload()
    await waitForModels(page)
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), true)
    assert.equal((await page.locator('#form-heading').innerText()).trim(), 'Parameters')

    await page.evaluate(() => document.activeElement?.blur())
    await page.keyboard.press('Shift+Slash')
    await page.getByTestId('help-dialog').waitFor()
    // Esc belongs to the dialog that has the focus, which moves in on the next tick after it opens.
    await page.waitForFunction(() => document.querySelector('[data-testid=help-dialog]')?.contains(document.activeElement))
    await page.keyboard.press('Escape')
    await page.getByTestId('help-dialog').waitFor({ state: 'hidden' })
    await page.keyboard.press('/')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'prompt')

    // Back to the defaults for the other tests in this browser profile.
    await page.getByTestId('settings-open').click()
    await page.getByTestId('settings-theme-light').check()
    await page.getByTestId('settings-lang-zh').check()
    await page.keyboard.press('Escape')
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('mobile: panels stack, the queue is a drawer, touch targets are at least 44 px', { timeout: 60_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-mobile', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await submitPrompt(page, '手机：窗台上的多肉植物')
    const column = page.getByTestId('right-column')
    await column.waitFor({ state: 'hidden' })
    const toggle = page.getByTestId('drawer-toggle')
    const box = await toggle.boundingBox()
    assert.ok(box.width >= 44 && box.height >= 44, `drawer button ${box.width}×${box.height}`)
    await toggle.click()
    await column.waitFor({ state: 'visible' })
    const small = await column.locator('button:visible').evaluateAll((buttons) =>
      buttons
        .filter((b) => {
          const r = b.getBoundingClientRect()
          return r.width > 0 && (r.width < 44 || r.height < 44)
        })
        .map((b) => b.dataset.testid || b.getAttribute('aria-label') || b.textContent.trim()),
    )
    assert.deepEqual(small, [], 'every visible button in the drawer is at least 44×44')
    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, 'mobile-drawer.png') })
    await page.getByTestId('drawer-close').click()
    await column.waitFor({ state: 'hidden' })

    await page.getByTestId('result-image').first().waitFor({ timeout: 60_000 })
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=result-image]')].every((img) => img.complete))
    await page.screenshot({ path: join(screenshotDir, 'mobile.png'), fullPage: true })
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('axe-core: no serious or critical violations in light, dark, Chinese and English; desktop screenshots', { timeout: 120_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'journey-axe', async () => {
    const findings = []
    const settle = async () => {
      await waitForModels(page)
      await injectAxe(page)
      // Transitions (300 ms) must end before colours are measured.
      await page.waitForTimeout(400)
    }
    for (const theme of ['light', 'dark']) {
      for (const lang of ['zh-CN', 'en']) {
        await page.evaluate(([theme, lang]) => {
          localStorage.setItem('volc-studio.theme', theme)
          localStorage.setItem('volc-studio.lang', lang)
        }, [theme, lang])
        await page.reload()
        await settle()
        findings.push(...(await axeFindings(page, `${theme} ${lang}`)))
      }
    }

    // With results in the grid, an open lightbox and an open settings dialog; screenshots on the way.
    await page.evaluate(() => {
      localStorage.setItem('volc-studio.theme', 'light')
      localStorage.setItem('volc-studio.lang', 'zh-CN')
    })
    await page.reload()
    await settle()
    await submitPrompt(page, '截图：湖边的小木屋，清晨薄雾')
    await page.getByTestId('result-image').first().waitFor({ timeout: 60_000 })
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=result-image]')].every((img) => img.complete))
    await mkdir(screenshotDir, { recursive: true })
    findings.push(...(await axeFindings(page, 'light, with results')))
    await page.screenshot({ path: join(screenshotDir, 'desktop-light.png') })
    await page.getByTestId('theme-toggle').click()
    await page.waitForTimeout(400)
    findings.push(...(await axeFindings(page, 'dark, with results')))
    await page.screenshot({ path: join(screenshotDir, 'desktop-dark.png') })

    await page.getByTestId('result-open').first().click()
    await page.waitForTimeout(400)
    findings.push(...(await axeFindings(page, 'dark lightbox')))
    await page.screenshot({ path: join(screenshotDir, 'desktop-dark-lightbox.png') })
    await page.keyboard.press('Escape')

    await page.getByTestId('settings-open').click()
    await page.getByTestId('settings-dialog').waitFor()
    await page.waitForTimeout(400)
    findings.push(...(await axeFindings(page, 'dark settings dialog')))
    await page.keyboard.press('Escape')
    await page.getByTestId('help-open').click()
    await page.getByTestId('help-dialog').waitFor()
    await page.waitForTimeout(400)
    findings.push(...(await axeFindings(page, 'dark shortcut help')))
    await page.keyboard.press('Escape')
    await page.getByTestId('theme-toggle').click()

    await page.evaluate(() => {
      localStorage.removeItem('volc-studio.theme')
      localStorage.removeItem('volc-studio.lang')
    })
    assert.deepEqual(findings, [])
    assert.deepEqual(problems, [])
  })
  await page.close()
})
