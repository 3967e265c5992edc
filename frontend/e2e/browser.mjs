// What every browser test file needs: a headless chromium, a page that records console errors (CSP
// violations are reported there) and API calls, a failure screenshot with the server logs, and the
// small helpers the test files share (API calls, queue and history cards, axe-core findings).
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { frontendDir, logTail } from './stack.mjs'

export const screenshotDir = join(frontendDir, 'build', 'e2e')

export async function launchBrowser({ locale = 'zh-CN' } = {}) {
  const profileDir = await mkdtemp(join(tmpdir(), 'volc-studio-chromium-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    locale,
    viewport: { width: 1440, height: 900 },
    // No spinner or shimmer repainting the page sixty times a second in software: the page honours
    // the setting (app.css), and on two cores those frames took CPU from the backend the test waits on.
    reducedMotion: 'reduce',
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
  context.closeAll = async () => {
    await context.close().catch(() => {})
    await rm(profileDir, { recursive: true, force: true })
  }
  return context
}

// requests: every /api/ request the page made, as {method, path}; responses: every /api/ response the
// page received as {method, path, status, body: Promise<string>} (text bodies only), for checks on
// what the server sent back.
export async function openStudio(browser, baseUrl) {
  const page = await browser.newPage()
  const problems = []
  const generateRequests = []
  const requests = []
  const responses = []
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('request', (request) => {
    const { pathname } = new URL(request.url())
    if (!pathname.startsWith('/api/')) return
    requests.push({ method: request.method(), path: pathname })
    if (request.method() === 'POST' && pathname === '/api/v1/generate') generateRequests.push(request)
  })
  page.on('response', (response) => {
    const { pathname } = new URL(response.url())
    if (!pathname.startsWith('/api/')) return
    // Read at once: a body is gone once the page navigates. Streams never end, so they are left alone.
    const type = response.headers()['content-type'] ?? ''
    const body = /event-stream|image\/|zip/.test(type) ? Promise.resolve('') : response.text().catch(() => '')
    responses.push({ method: response.request().method(), path: pathname, status: response.status(), body })
  })
  await page.goto(baseUrl)
  await waitForModels(page)
  return { page, problems, generateRequests, requests, responses }
}

// The model list arrives asynchronously; a submit before it would only test the "no model" error.
export async function waitForModels(page) {
  await page.locator('[data-testid=model-select] option[value]:not([value=""])').first().waitFor({ state: 'attached' })
}

export async function screenshotOnFailure(stack, page, name, body) {
  try {
    await body()
  } catch (error) {
    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: join(screenshotDir, `${name}-failure.png`), fullPage: true }).catch(() => {})
    error.message += `\n--- backend log ---\n${logTail(stack.backend.log)}\n--- nginx error log ---\n${logTail(stack.nginx.log)}`
    throw error
  }
}

export async function submitPrompt(page, text) {
  const prompt = page.getByTestId('prompt')
  await prompt.fill(text)
  await prompt.press('Control+Enter')
}

// A JSON API call straight to the stack (not through the page); anything but 2xx fails the test.
export async function api(stack, path, init) {
  const response = await fetch(`${stack.baseUrl}${path}`, init)
  assert.ok(response.ok, `${path}: HTTP ${response.status}`)
  return response.status === 204 ? null : response.json()
}

// The queue card of the task whose prompt is text, once the task has its id.
export function queueItem(page, text) {
  return page.getByTestId('queue-item').filter({ hasText: text })
}

export function historyItem(page, text) {
  return page.getByTestId('history-item').filter({ hasText: text })
}

export async function expectText(locator, pattern, timeout = 10_000) {
  await locator.filter({ hasText: pattern }).first().waitFor({ timeout })
}

export async function waitForImages(page, count, timeout = 60_000) {
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=result-image]').length >= n, count, { timeout })
}

let axeSource

// Evaluated through the DevTools protocol, not as a <script>: the page's CSP stays as it is. Again
// after every reload.
export async function injectAxe(page) {
  axeSource ??= await readFile(join(frontendDir, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
  await page.evaluate(axeSource)
}

// Serious and critical axe findings on the page as it is now, as readable lines.
export async function axeFindings(page, label) {
  // Colours still fading from the last theme or language switch would be measured half-way (a
  // 300 ms transition can outlast a fixed wait on a busy machine): let every CSS transition end.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation instanceof CSSTransition)
        .map((animation) => animation.finished.catch(() => {})),
    ),
  )
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
  })
  return violations.map((v) => `[${label}] ${v}`)
}
