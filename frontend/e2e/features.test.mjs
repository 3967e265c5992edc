// The features the page had coded against CONTRACTS.md, now proven against the backend that serves
// them: settings (a runtime limit persisted, keys saved masked and removed, secrets never sent back,
// the live-mode connection error), a reference image for an image-to-image model (deleted when removed
// before it was sent), ZIP downloads of a selection, a task and a batch (archives opened and checked),
// history thumbnails in the lightbox, bulk delete, and the storage figures in the status bar.
//
// VOLC_ENDPOINT points at a closed loopback port: demo mode ignores it, but once keys are saved from
// the dialog the studio goes live against it and its connection check fails at once.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  api,
  axeFindings,
  expectText,
  historyItem,
  injectAxe,
  launchBrowser,
  openStudio,
  screenshotDir,
  screenshotOnFailure,
  submitPrompt,
  waitForImages,
} from './browser.mjs'
import { startStack, stopStack } from './stack.mjs'
import { readZip } from './zip.mjs'

let stack
let browser

before(async () => {
  stack = await startStack({ env: { DEMO_LATENCY: '1s', VOLC_ENDPOINT: 'http://127.0.0.1:9' } })
  browser = await launchBrowser()
}, { timeout: 150_000 })

after(async () => {
  await browser?.closeAll()
  await stopStack(stack)
}, { timeout: 60_000 })

// The download the page starts with click(), opened as a ZIP → {filename, entries, manifest}.
async function downloadZip(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()])
  const failure = await download.failure()
  assert.equal(failure, null, `the download failed: ${failure}`)
  const entries = readZip(await readFile(await download.path()))
  const manifestEntry = entries.find((entry) => entry.name === 'params.json')
  assert.ok(manifestEntry, `params.json is in the archive: ${entries.map((e) => e.name)}`)
  const manifest = JSON.parse(manifestEntry.read().toString('utf8'))
  return { filename: download.suggestedFilename(), entries, manifest }
}

function imageEntries(entries) {
  return entries.filter((entry) => entry.name !== 'params.json')
}

function isPng(buffer) {
  return buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
}

test('settings: a runtime limit persists over a reload; keys are saved masked, never sent back, and removed again', { timeout: 120_000 }, async () => {
  const { page, problems, responses } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'features-settings', async () => {
    const accessKey = 'AKLTe2eaccess0000000000wxyz'
    const secretKey = 'e2e-secret-never-returned-42'

    await page.getByTestId('settings-open').click()
    await page.getByTestId('settings-server').waitFor()
    await expectText(page.getByTestId('settings-mode'), /演示/)
    for (const field of ['settings-ak', 'settings-sk', 'settings-ark-key']) {
      assert.equal(await page.getByTestId(field).inputValue(), '', `${field} starts empty`)
    }

    // A runtime limit: changed, saved, and still there after a reload (the server's value, not the form's).
    const before = (await api(stack, '/api/v1/settings')).runtime.max_concurrent_tasks
    const wanted = before === 3 ? 4 : 3
    await page.getByTestId('settings-max_concurrent_tasks').fill(String(wanted))
    // The monthly quota too: the status bar shows the new limit at once (usage.changed).
    await page.getByTestId('settings-monthly_image_quota').fill('500')
    await page.getByTestId('settings-save').click()
    await page.getByText('设置已保存').waitFor()
    assert.equal((await api(stack, '/api/v1/settings')).runtime.max_concurrent_tasks, wanted)
    assert.equal((await api(stack, '/api/v1/system/info')).quota.limit, 500)
    await page.getByTestId('quota').filter({ hasText: '/ 500' }).waitFor({ timeout: 5_000 })
    await page.reload()
    await page.getByTestId('settings-open').click()
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=settings-max_concurrent_tasks]')?.value === String(n),
      wanted,
    )

    // Keys: saved from the dialog, shown masked, the inputs emptied; the studio is live now.
    await page.getByTestId('settings-ak').fill(accessKey)
    await page.getByTestId('settings-sk').fill(secretKey)
    await page.getByTestId('settings-save-volcengine').click()
    await expectText(page.getByTestId('masked-access-key'), /\*{4}wxyz/)
    assert.equal(await page.getByTestId('settings-ak').inputValue(), '', 'the access key input is cleared')
    assert.equal(await page.getByTestId('settings-sk').inputValue(), '', 'the secret input is cleared')
    assert.doesNotMatch(await page.getByTestId('masked-access-key').innerText(), /e2eaccess/)
    await expectText(page.getByTestId('settings-mode'), /在线/)
    await page.getByTestId('settings-close').click()

    // Live against a closed port: the status bar says offline and the banner gives the server's reason.
    const banner = page.getByTestId('api-error')
    await page.waitForFunction(() => {
      const banner = document.querySelector('[data-testid=api-error]')
      return banner && banner.offsetParent !== null && banner.textContent.includes('无法连接图像服务')
    }, null, { timeout: 30_000 })
    const info = await api(stack, '/api/v1/system/info')
    assert.equal(info.api_connected, false)
    assert.ok(info.api_error?.message?.zh, 'the server explains in Chinese')
    assert.match(await banner.innerText(), new RegExp(info.api_error.message.zh.slice(0, 8).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    await page.getByTestId('lang-toggle').click()
    await expectText(banner, new RegExp(`Cannot reach the image service: ${info.api_error.message.en.slice(0, 8).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, 'features-api-error.png') })
    await page.getByTestId('lang-toggle').click()

    // Removed again: back to demo mode, no mask, no banner.
    await page.getByTestId('settings-open').click()
    await page.getByTestId('settings-remove-volcengine').click()
    await expectText(page.getByTestId('settings-mode'), /演示/)
    assert.equal(await page.getByTestId('masked-access-key').isVisible(), false)
    await page.getByTestId('settings-close').click()
    await banner.waitFor({ state: 'hidden', timeout: 30_000 })

    // Nothing the page received carries either secret (the PUT itself sent them, once).
    const settingsAnswers = responses.filter((r) => r.path.startsWith('/api/v1/settings'))
    assert.ok(settingsAnswers.length >= 4, `settings answers seen: ${settingsAnswers.length}`)
    for (const response of responses) {
      const body = await response.body
      assert.ok(!body.includes(secretKey), `${response.method} ${response.path} sent the secret key back`)
      assert.ok(!body.includes(accessKey), `${response.method} ${response.path} sent the whole access key back`)
    }
    assert.deepEqual(problems, [])
  })
  // Each open page keeps an event stream, and Chromium allows six connections per host.
  await page.close()
})

test('backups: "back up now" in the settings makes an archive that the dialog lists and the browser downloads', { timeout: 60_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'backup', async () => {
    await page.getByTestId('settings-open').click()
    await page.getByTestId('settings-backup-now').click()
    await expectText(page.getByTestId('settings-backup-result'), /^备份 studio-backup-\d{8}-\d{6}(-\d+)?\.zip：.+张图片/)
    const link = page.getByTestId('settings-backup-link').first()
    const name = (await link.innerText()).trim()
    assert.ok((await page.getByTestId('settings-backup-result').innerText()).includes(name), 'the newest backup is listed first')

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), link.click()])
    assert.equal(await download.failure(), null)
    assert.equal(download.suggestedFilename(), name)
    const entries = readZip(await readFile(await download.path()))
    const manifest = entries.find((entry) => entry.name === 'manifest.json')
    assert.ok(manifest, `manifest.json is in the archive: ${entries.map((e) => e.name)}`)
    assert.ok(entries.some((entry) => entry.name === 'database.zip'), 'the database snapshot is in the archive')
    assert.ok(!entries.some((entry) => entry.name.endsWith('secret.key')), 'the master key is not')
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('a deprecated model says so and offers its successor, which one click selects, with its web search switch', { timeout: 60_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'deprecated-model', async () => {
    const select = page.getByTestId('model-select')
    await select.selectOption('seedream_4.5')
    const notice = page.getByTestId('model-deprecated')
    await expectText(notice, /火山引擎正在逐步下线此模型。/)
    assert.equal(await notice.getAttribute('data-replaced-by'), 'seedream_5.0_lite')
    await page.getByTestId('model-replacement').click()
    assert.equal(await select.inputValue(), 'seedream_5.0_lite')
    await notice.waitFor({ state: 'hidden' })
    // The successor's own switch, from the catalog: web search, off until asked for.
    await page.getByRole('button', { name: '高级参数' }).click()
    const search = page.getByTestId('option-web_search')
    assert.equal(await search.getAttribute('aria-checked'), 'false')
    await expectText(page.locator(`#${await search.getAttribute('aria-labelledby')}`), /联网搜索/)
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('reference image: an image-to-image model shows the drop zone, uploads a PNG and generates from it', { timeout: 120_000 }, async () => {
  const { models } = await api(stack, '/api/v1/models')
  const i2i = models.find((model) => model.reference_images && model.available !== false)
  assert.ok(i2i, 'the catalogue has an image-to-image model')
  // A real PNG to upload: one the demo makes from a prompt.
  const source = await api(stack, '/api/v1/generate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prompt: 'reference source', model: 'general_v2.0', width: 512, height: 512 }),
  })
  let task
  for (let i = 0; i < 60 && task?.status !== 'completed'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    task = await api(stack, `/api/v1/task/${source.task_id}`)
  }
  assert.equal(task.status, 'completed')
  const png = Buffer.from(await (await fetch(`${stack.baseUrl}${task.images[0].url}`)).arrayBuffer())
  assert.ok(isPng(png))

  const { page, problems, generateRequests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'features-reference', async () => {
    const zone = page.getByTestId('reference-zone')
    await page.getByTestId('model-select').selectOption('general_v2.0')
    assert.equal(await page.locator('[data-testid=reference-zone] input[type=file]').count(), 0, 'a text-only model takes no references')
    await page.getByTestId('model-select').selectOption(i2i.id)
    const input = page.locator('[data-testid=reference-zone] input[type=file]')
    await input.waitFor({ state: 'attached' })

    // Without the reference the form says what is missing and sends nothing.
    await submitPrompt(page, '把它画成水彩画')
    await page.getByTestId('field-error-reference_image_ids').waitFor()
    assert.equal(generateRequests.length, 0)

    // A reference removed before it was ever sent is deleted on the server as well.
    const removeButton = zone.getByTestId('reference-thumbnail').locator('xpath=..').locator('button')
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/uploads') && r.request().method() === 'POST'),
      input.setInputFiles({ name: 'source.png', mimeType: 'image/png', buffer: png }),
    ])
    const unsent = (await posted.json()).upload_id
    const deleted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/uploads/${unsent}`) && r.request().method() === 'DELETE')
    await removeButton.click()
    assert.equal((await deleted).status(), 204)
    assert.equal((await fetch(`${stack.baseUrl}/api/v1/uploads/${unsent}`)).status, 404)

    await input.setInputFiles({ name: 'source.png', mimeType: 'image/png', buffer: png })
    await zone.getByTestId('reference-thumbnail').waitFor()
    await page.getByTestId('prompt').press('Control+Enter')
    await waitForImages(page, 1)
    const body = generateRequests.at(-1).postDataJSON()
    assert.equal(body.model, i2i.id)
    assert.equal(body.reference_image_ids.length, 1)
    const upload = await fetch(`${stack.baseUrl}/api/v1/uploads/${body.reference_image_ids[0]}`)
    assert.equal(upload.status, 200)
    // Uploads are stored without their metadata (UPLOAD_KEEP_METADATA): the generated image's
    // embedded parameters (text chunks) are gone, its image data is kept byte for byte.
    const stored = pngChunks(Buffer.from(await upload.arrayBuffer()))
    const sent = pngChunks(png)
    assert.ok(sent.some((c) => c.type === 'iTXt' || c.type === 'tEXt'), 'the sent image carries its parameters')
    assert.deepEqual(stored.map((c) => c.type).filter((t) => /TXt$/.test(t)), [], 'no text chunk is stored')
    const imageData = (chunks) => Buffer.concat(chunks.filter((c) => ['IHDR', 'IDAT', 'IEND'].includes(c.type)).map((c) => c.bytes))
    assert.ok(imageData(stored).equals(imageData(sent)), 'the image data is stored as sent')
    // Once sent, a task may use it: removing it from the form leaves it to the retention cleanup.
    await removeButton.click()
    await zone.getByTestId('reference-thumbnail').waitFor({ state: 'detached' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal((await fetch(`${stack.baseUrl}/api/v1/uploads/${body.reference_image_ids[0]}`)).status, 200)
    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, 'features-reference.png') })
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('ZIP: a selection of results, one task from the history and a whole batch, each with params.json', { timeout: 180_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'features-zip', async () => {
    const tag = `zip${Date.now()}`
    await submitPrompt(page, `${tag} 一只橘猫`)
    await waitForImages(page, 1)
    await submitPrompt(page, `${tag} 一只黑猫`)
    await waitForImages(page, 2)

    // Two selected images → their files and a manifest naming them.
    await page.getByTestId('select-toggle').click()
    const ids = await page.getByTestId('result-image').evaluateAll((images) => images.map((img) => img.src.match(/images\/([^/?]+)/)[1]))
    await page.getByTestId('result-open').nth(0).click()
    await page.getByTestId('result-open').nth(1).click()
    await expectText(page.getByTestId('selected-count'), /已选 2 张/)
    const selection = await downloadZip(page, () => page.getByTestId('zip-download').click())
    assert.match(selection.filename, /^volc-images-.*\.zip$/)
    assert.equal(imageEntries(selection.entries).length, 2)
    assert.ok(imageEntries(selection.entries).every((entry) => isPng(entry.read())), 'the entries are PNGs')
    assert.deepEqual(selection.manifest.images.map((image) => image.image_id).sort(), ids.slice(0, 2).sort())
    assert.deepEqual(selection.manifest.images.map((image) => image.file).sort(), imageEntries(selection.entries).map((e) => e.name).sort())

    // One task, from its history entry.
    const entry = historyItem(page, `${tag} 一只橘猫`)
    await entry.waitFor()
    const taskId = await entry.getAttribute('data-task-id')
    const single = await downloadZip(page, () => entry.getByTestId('history-zip').click())
    assert.equal(imageEntries(single.entries).length, 1)
    const task = await api(stack, `/api/v1/task/${taskId}`)
    assert.equal(single.manifest.images[0].image_id, task.images[0].image_id)

    // A batch of two prompts: its ZIP link appears once both have finished.
    await page.getByTestId('batch-toggle').click()
    await page.getByTestId('prompt').fill(`${tag} 批次一\n${tag} 批次二`)
    await expectText(page.getByTestId('batch-estimate'), /2 个任务/)
    await page.getByTestId('generate').click()
    await page.getByTestId('batch-zip').waitFor({ timeout: 60_000 })
    const batch = await downloadZip(page, () => page.getByTestId('batch-zip').click())
    assert.equal(imageEntries(batch.entries).length, 2)
    const batchPrompts = batch.manifest.images.map((image) => image.parameters?.prompt).sort()
    assert.deepEqual(batchPrompts, [`${tag} 批次一`, `${tag} 批次二`])

    // Each task of the batch carries batch_id: its history entry offers the same batch ZIP.
    const batchEntry = page.getByTestId('history-item').filter({ hasText: `${tag} 批次二` })
    await batchEntry.waitFor()
    const fromHistory = await downloadZip(page, () => batchEntry.getByTestId('history-batch-zip').click())
    assert.equal(imageEntries(fromHistory.entries).length, 2)
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('history: a thumbnail opens the lightbox; several entries go at once with bulk delete', { timeout: 120_000 }, async () => {
  const { page, problems, requests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'features-history', async () => {
    const tag = `bulk${Date.now()}`
    for (const colour of ['红', '绿', '蓝']) {
      await submitPrompt(page, `${tag} ${colour}色的房子`)
      await historyItem(page, `${tag} ${colour}色`).waitFor({ timeout: 60_000 })
    }

    // The lightbox shows the entry's image, with the entry's prompt.
    const red = historyItem(page, `${tag} 红色`)
    await red.getByTestId('history-open').click()
    await page.getByTestId('lightbox').waitFor()
    await expectText(page.getByTestId('lightbox-prompt'), new RegExp(`${tag} 红色`))
    await expectText(page.getByTestId('lightbox-position'), /第 1 \/ 1 张/)
    const taskId = await red.getAttribute('data-task-id')
    const task = await api(stack, `/api/v1/task/${taskId}`)
    assert.match(await page.getByTestId('lightbox-image').getAttribute('src'), new RegExp(task.images[0].image_id))
    await page.keyboard.press('Escape')
    await page.getByTestId('lightbox').waitFor({ state: 'hidden' })

    // Bulk delete: select two, confirm once, both gone here and on the server; the third stays.
    await page.getByTestId('history-search').fill(tag)
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=history-item]').length === n, 3)
    await page.getByTestId('history-select-toggle').click()
    const doomed = ['红', '绿'].map((colour) => historyItem(page, `${tag} ${colour}色`))
    const doomedIds = await Promise.all(doomed.map((item) => item.getAttribute('data-task-id')))
    for (const item of doomed) await item.getByTestId('history-select').check()
    await expectText(page.getByTestId('history-selected-count'), /已选 2 条/)
    await page.getByTestId('history-delete-selected').click()
    await page.getByText('删除这 2 条记录及其图片？').waitFor()
    await page.getByTestId('history-confirm-delete-selected').click()
    await page.getByText('已删除 2 条记录').waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-item]').length === 1)
    assert.ok(requests.some((r) => r.method === 'POST' && r.path === '/api/v1/history/delete'))
    const left = await api(stack, `/api/v1/history?q=${encodeURIComponent(tag)}`)
    assert.equal(left.total, 1)
    for (const id of doomedIds) assert.equal((await fetch(`${stack.baseUrl}/api/v1/task/${id}`)).status, 404)
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('editing: erase with a painted mask, upscale, extend and cut out from the lightbox; an edit compares with its source', { timeout: 240_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'features-editing', async () => {
    const tag = `edit${Date.now()}`
    await submitPrompt(page, `${tag} 海边的灯塔`)
    await historyItem(page, tag).waitFor({ timeout: 60_000 })
    const sourceTaskId = await historyItem(page, tag).getAttribute('data-task-id')
    const source = (await api(stack, `/api/v1/task/${sourceTaskId}`)).images[0]
    const openSource = async () => {
      await historyItem(page, tag).getByTestId('history-open').click()
      await page.getByTestId('lightbox').waitFor()
    }
    // The image's family: its edits, once each has finished.
    const edit = async (operation) => {
      for (let i = 0; i < 120; i += 1) {
        const { items } = await api(stack, `/api/v1/history?source_image_id=${source.image_id}&status=completed,failed`)
        const found = items.find((item) => item.operation === operation)
        if (found) {
          assert.equal(found.status, 'completed', JSON.stringify(found.error))
          return found
        }
        await page.waitForTimeout(500)
      }
      throw new Error(`no finished ${operation} of ${source.image_id}`)
    }
    const decoded = async (image) =>
      page.evaluate(async (url) => {
        const bitmap = await createImageBitmap(await (await fetch(url)).blob())
        return { width: bitmap.width, height: bitmap.height }
      }, image.url)

    // Erase: the editor paints a mask over the image; undo empties it, and an empty mask is refused
    // here; painted again, the edit goes out with the mask uploaded.
    await openSource()
    await page.getByTestId('lightbox-edit-erase').click()
    await page.getByTestId('editor').waitFor()
    await injectAxe(page)
    await page.waitForTimeout(400)
    const findings = await axeFindings(page, 'light, editor')
    const canvas = page.getByTestId('editor-canvas')
    // The canvas lies exactly over the picture as drawn, so a stroke lands where it is seen.
    const drawn = await page.getByTestId('editor-image').boundingBox()
    const over = await canvas.boundingBox()
    for (const side of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(drawn[side] - over[side]) < 1, `${side}: ${drawn[side]} vs ${over[side]}`)
    const paint = async () => {
      const box = await canvas.boundingBox()
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5)
      await page.mouse.down()
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.55, { steps: 6 })
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 6 })
      await page.mouse.up()
    }
    await paint()
    await page.getByTestId('editor-undo').click()
    await page.getByTestId('editor-clear').click()
    await page.getByTestId('editor-submit').click()
    await expectText(page.getByTestId('editor-error-mask'), /请先在图片上涂抹/)
    await paint()
    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, 'editor-erase.png') })
    await page.getByTestId('editor-submit').click()
    await page.getByTestId('editor').waitFor({ state: 'hidden' })
    const erased = await edit('erase')
    assert.ok(erased.mask_upload_id, 'the mask was uploaded')
    // The mask is the source's size, opaque where the brush went and transparent elsewhere.
    const mask = await page.evaluate(async (url) => {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob())
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
      const context = canvas.getContext('2d')
      context.drawImage(bitmap, 0, 0)
      const alpha = (x, y) => context.getImageData(Math.round(x * bitmap.width), Math.round(y * bitmap.height), 1, 1).data[3]
      return { width: bitmap.width, height: bitmap.height, painted: alpha(0.5, 0.53), untouched: alpha(0.5, 0.1) }
    }, `/api/v1/uploads/${erased.mask_upload_id}`)
    assert.deepEqual(mask, { width: source.width, height: source.height, painted: 255, untouched: 0 })
    assert.deepEqual(await decoded(erased.images[0]), { width: source.width, height: source.height })

    // Upscale: one click, twice the size.
    await openSource()
    await page.getByTestId('lightbox-edit-upscale').click()
    await page.getByTestId('lightbox').waitFor({ state: 'hidden' })
    const upscaled = await edit('upscale')
    assert.deepEqual(await decoded(upscaled.images[0]), { width: source.width * 2, height: source.height * 2 })

    // Extend: the sides' fractions, with the new size shown before anything is sent.
    await openSource()
    await page.getByTestId('lightbox-edit-outpaint').click()
    await page.getByTestId('editor').waitFor()
    await page.getByTestId('editor-side-left').fill('0')
    await page.getByTestId('editor-side-right').fill('50')
    await expectText(page.getByTestId('editor-new-size'), new RegExp(`${source.width * 1.5} × ${source.height}`))
    await page.getByTestId('editor-submit').click()
    await page.getByTestId('editor').waitFor({ state: 'hidden' })
    const extended = await edit('outpaint')
    assert.deepEqual(await decoded(extended.images[0]), { width: source.width * 1.5, height: source.height })

    // Remove the background: a PNG with an alpha channel (colour type 6).
    await openSource()
    await page.getByTestId('lightbox-edit-remove_background').click()
    const cut = await edit('remove_background')
    const png = Buffer.from(await (await fetch(`${stack.baseUrl}${cut.images[0].url}`)).arrayBuffer())
    assert.ok(isPng(png))
    assert.equal(png[25], 6, 'RGBA')
    // The lightbox shows it over a checkerboard, so the transparency can be seen.
    await page.locator(`[data-testid=history-item][data-task-id="${cut.task_id}"]`).getByTestId('history-open').click()
    await page.getByTestId('lightbox').waitFor()
    assert.match(await page.getByTestId('lightbox-image').evaluate((img) => getComputedStyle(img).backgroundImage), /conic-gradient/)
    await page.keyboard.press('Escape')
    await page.getByTestId('lightbox').waitFor({ state: 'hidden' })

    // An edit's result compares with its source.
    await page.locator(`[data-testid=history-item][data-task-id="${upscaled.task_id}"]`).getByTestId('history-open').click()
    await page.getByTestId('lightbox').waitFor()
    await page.getByTestId('lightbox-compare').click()
    assert.match(await page.getByTestId('lightbox-before').getAttribute('src'), new RegExp(source.image_id))
    await page.getByTestId('lightbox-compare-slider').fill('20')
    assert.match(await page.getByTestId('lightbox-before').getAttribute('style'), /inset\(0(px)? 80% 0(px)? 0(px)?\)/)

    // Its family: the history lists the source's four edits, until cleared.
    await page.getByTestId('lightbox-family').click()
    await page.getByTestId('history-family').waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-item]').length === 4)
    await page.getByTestId('history-family-clear').click()
    await page.getByTestId('history-family').waitFor({ state: 'hidden' })

    // Restyle: the image becomes a reference of a model that edits by instruction.
    await openSource()
    await page.getByTestId('lightbox-restyle').click()
    await page.getByTestId('reference-thumbnail').waitFor()
    assert.equal(await page.getByTestId('model-select').inputValue(), 'seedream_5.0_lite')

    // At phone width, in the dark theme: the editor fits the screen and axe finds nothing serious.
    await page.getByTestId('theme-toggle').click()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByTestId('result-open').first().click()
    await page.getByTestId('lightbox').waitFor()
    await page.getByTestId('lightbox-edit-inpaint').click()
    await page.getByTestId('editor').waitFor()
    await page.waitForTimeout(400)
    findings.push(...(await axeFindings(page, 'dark, phone, editor')))
    const overflow = await page.evaluate(() => document.querySelector('[data-testid=editor]').scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `the editor is ${overflow} px wider than the screen`)
    await page.screenshot({ path: join(screenshotDir, 'editor-phone-dark.png') })
    await page.keyboard.press('Escape')
    await page.getByTestId('editor').waitFor({ state: 'hidden' })
    await page.keyboard.press('Escape')
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.getByTestId('theme-toggle').click()
    assert.deepEqual(findings, [])
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('image set: Seedream 4.0 with 组图 on fills its cards one by one as the stream delivers them', { timeout: 120_000 }, async () => {
  const { page, problems, requests } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'features-image-set', async () => {
    await page.getByTestId('model-select').selectOption('seedream_4.0')
    await page.getByTestId('option-sequential').waitFor()
    assert.equal(await page.getByTestId('option-sequential').getAttribute('aria-checked'), 'false')
    await page.getByTestId('option-sequential').click()
    await page.locator('#count').fill('3')
    const tag = `set${Date.now()}`
    await submitPrompt(page, `${tag} 一组四季的庭院`)

    // The first image shows while the others are still being painted (1 s each in this stack).
    await waitForImages(page, 1)
    const early = await page.getByTestId('result-image').count()
    assert.ok(early < 3, `only part of the set is there at first: ${early}`)
    await waitForImages(page, 3)
    assert.ok(requests.some((r) => r.method === 'POST' && r.path === '/api/v1/generate'))
    const { items } = await api(stack, `/api/v1/history?q=${encodeURIComponent(tag)}`)
    assert.equal(items[0].sequential, true)
    assert.equal(items[0].images.length, 3)
    assert.deepEqual(problems, [])
  })
  await page.close()
})

test('status bar: storage figures from /system/info; axe finds nothing serious in the new controls', { timeout: 90_000 }, async () => {
  const { page, problems } = await openStudio(browser, stack.baseUrl)
  await screenshotOnFailure(stack, page, 'features-storage', async () => {
    // One more image, so the figures are not zero and the history has an entry; the status bar
    // refreshes when a task finishes.
    const tag = `storage${Date.now()}`
    await submitPrompt(page, `${tag} 雪山`)
    await historyItem(page, tag).waitFor({ timeout: 60_000 })
    const { storage } = await api(stack, '/api/v1/system/info')
    assert.ok(storage.images > 0 && storage.bytes > 0, `storage figures: ${JSON.stringify(storage)}`)
    await expectText(page.getByTestId('storage'), new RegExp(`存储 ${storage.images} 张图片 · [\\d.]+ (KB|MB)`))
    // The database file against its live data, on hover.
    assert.ok(storage.database_bytes > 0 && storage.database_data_bytes <= storage.database_bytes, JSON.stringify(storage))
    assert.match(await page.getByTestId('storage').getAttribute('title'), /^数据库文件 [\d.]+ (KB|MB)，其中数据约 [\d.]+ (B|KB|MB)$/)

    await injectAxe(page)
    const findings = []
    const check = async (label) => {
      // Theme transitions (300 ms) must end before colours are measured.
      await page.waitForTimeout(400)
      findings.push(...(await axeFindings(page, label)))
    }
    await page.getByTestId('history-item').first().waitFor()
    await page.getByTestId('history-select-toggle').click()
    await page.getByTestId('history-select').first().check()
    await page.getByTestId('history-delete-selected').click()
    await check('light, history selection')
    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, 'features-history-select.png') })
    await page.getByTestId('theme-toggle').click()
    await check('dark, history selection')
    await page.getByTestId('history-select-toggle').click()
    await page.getByTestId('history-open').first().click()
    await page.getByTestId('lightbox').waitFor()
    await check('dark, lightbox from the history')
    await page.keyboard.press('Escape')
    await page.getByTestId('theme-toggle').click()
    assert.deepEqual(findings, [])
    assert.deepEqual(problems, [])
  })
  await page.close()
})

// The chunks of a PNG in order: type and whole bytes (length, type, data, CRC).
function pngChunks(buffer) {
  const chunks = []
  for (let at = 8; at + 12 <= buffer.length;) {
    const length = buffer.readUInt32BE(at)
    chunks.push({ type: buffer.toString('latin1', at + 4, at + 8), bytes: buffer.subarray(at, at + 12 + length) })
    at += 12 + length
  }
  return chunks
}
