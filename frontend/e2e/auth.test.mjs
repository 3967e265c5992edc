// Login on (APP_AUTH_USERNAME/APP_AUTH_PASSWORD): chromium → nginx → backend jar. The page must ask for
// the password, refuse a wrong one, then generate over the session cookie with the CSRF header, and the
// event stream must work on that cookie too. Run with `node --test e2e/auth.test.mjs`.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { get } from 'node:http'
import { launchBrowser, screenshotDir, screenshotOnFailure as guard, submitPrompt, waitForModels } from './browser.mjs'
import { startStack, stopStack } from './stack.mjs'

const USER = 'studio'
const PASSWORD = 'e2e correct horse battery'
const PROMPT = '雪山下的小木屋，油画风格'
// nginx.conf's policy, which must arrive exactly once (the backend's own copy is hidden by nginx).
const CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

let stack
let browser

// A plain HTTP client like curl: unlike fetch(), it sends no Sec-Fetch-Mode, so it is no browser page.
function plainGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      response.resume()
      response.on('end', () => resolve(response))
    }).on('error', reject)
  })
}

before(async () => {
  stack = await startStack({ env: { APP_AUTH_USERNAME: USER, APP_AUTH_PASSWORD: PASSWORD } })
  browser = await launchBrowser()
}, { timeout: 150_000 })

after(async () => {
  await browser?.closeAll()
  await stopStack(stack)
}, { timeout: 60_000 })

test('the page asks for the login, refuses a wrong password, then generates', { timeout: 120_000 }, async (t) => {
  const started = Date.now()
  const mark = (what) => t.diagnostic(`${what} after ${Date.now() - started} ms`)
  const page = await browser.newPage()
  const problems = []
  const generateRequests = []
  const streams = []
  page.on('console', (message) => {
    // The API's 401s before the login are the point of this test; anything else is a problem.
    if (message.type() === 'error' && !/\b401\b/.test(message.text())) problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('request', (request) => {
    const { pathname } = new URL(request.url())
    if (request.method() === 'POST' && pathname === '/api/v1/generate') generateRequests.push(request)
  })
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/v1/events') streams.push(response.status())
  })

  await guard(stack, page, 'auth', async () => {
    await page.goto(stack.baseUrl)
    const dialog = page.getByTestId('login-dialog')
    await dialog.waitFor({ state: 'visible', timeout: 15_000 })
    mark('login dialog')
    assert.equal(await page.getByTestId('model-select').locator('option[value]:not([value=""])').count(), 0,
      'nothing of the API is shown before the login')

    await page.getByTestId('login-username').fill(USER)
    await page.getByTestId('login-password').fill('not the password')
    await page.getByTestId('login-submit').click()
    const error = page.getByTestId('login-error')
    await error.waitFor({ state: 'visible', timeout: 10_000 })
    assert.match(await error.innerText(), /用户名或密码错误/)

    await page.getByTestId('login-password').fill(PASSWORD)
    await Promise.all([page.waitForEvent('load'), page.getByTestId('login-submit').click()])
    await waitForModels(page)
    mark('models after the login')
    assert.equal(await dialog.isVisible(), false)

    await submitPrompt(page, PROMPT)
    const image = page.getByTestId('result-image').first()
    await image.waitFor({ state: 'visible', timeout: 60_000 })
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle(), {
      timeout: 15_000,
    })

    mark('image')
    assert.equal(generateRequests.length, 1, 'exactly one generate request')
    const cookies = await page.context().cookies(stack.baseUrl)
    const xsrf = cookies.find((cookie) => cookie.name === 'XSRF-TOKEN')
    const session = cookies.find((cookie) => cookie.name === 'SESSION')
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly')
    assert.ok(xsrf?.value, 'the CSRF cookie is set')
    assert.equal(generateRequests[0].headers()['x-xsrf-token'], xsrf.value, 'the CSRF header echoes the cookie')
    assert.ok(streams.includes(200), `the event stream opened on the session cookie (statuses: ${streams})`)
    assert.deepEqual(problems, [], 'no console errors besides the 401s before the login')
  })
  await page.close()
})

test('REST clients get the Basic challenge, the page does not, and nginx sends each security header once', async () => {
  const anonymous = await plainGet(`${stack.baseUrl}/api/v1/tasks`)
  assert.equal(anonymous.statusCode, 401)
  assert.match(anonymous.headers['www-authenticate'] ?? '', /^Basic realm=/)
  assert.match(anonymous.headers['content-type'] ?? '', /application\/problem\+json/)
  // Node joins repeated headers with ", ": equality proves there is one copy.
  assert.equal(anonymous.headers['content-security-policy'], CSP)
  assert.equal(anonymous.headers['x-frame-options'], 'DENY')

  // fetch() marks its requests with Sec-Fetch-Mode, as browsers do: no challenge, so no password pop-up.
  const fromPage = await fetch(`${stack.baseUrl}/api/v1/tasks`)
  assert.equal(fromPage.status, 401)
  assert.equal(fromPage.headers.get('www-authenticate'), null)

  const basic = await plainGet(`${stack.baseUrl}/api/v1/tasks`, {
    Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
  })
  assert.equal(basic.statusCode, 200)

  const health = await plainGet(`${stack.baseUrl}/actuator/health`)
  assert.equal(health.statusCode, 200)
})

test('an admin makes an account on the accounts page; the member sees only their own work and no admin controls', { timeout: 120_000 }, async () => {
  // The first test's login (a persistent browser profile) is the admin's.
  const page = await browser.newPage()
  const problems = []
  page.on('pageerror', (error) => problems.push(error.message))
  await guard(stack, page, 'accounts', async () => {
    await page.goto(stack.baseUrl)
    await waitForModels(page)
    await page.getByTestId('users-open').click()
    const dialog = page.getByTestId('users-dialog')
    await dialog.waitFor()
    await dialog.locator(`[data-testid=user-row][data-username=${USER}]`).waitFor()

    // A field error from the server shows beside its field.
    await page.getByTestId('user-new-name').fill('mia')
    await page.getByTestId('user-new-password').fill('short')
    await page.getByTestId('user-create-submit').click()
    await page.locator('#user-new-password-error').waitFor()

    await page.getByTestId('user-new-password').fill('mia password 1')
    await page.getByTestId('user-new-quota').fill('3')
    await page.getByTestId('user-create-submit').click()
    const mia = dialog.locator('[data-testid=user-row][data-username=mia]')
    await mia.waitFor()
    assert.match(await mia.getByTestId('user-month').innerText(), /本月：0 张 · ¥0\.00/)
    assert.equal(await mia.getByTestId('user-quota').inputValue(), '3')
    await mia.getByTestId('user-quota').fill('5')
    await mia.getByTestId('user-quota-save').click()
    await page.getByText('已保存 mia 的额度').waitFor()
    await mia.getByTestId('user-models').fill('general_v2.0, general_v3.0')
    await mia.getByTestId('user-models-save').click()
    await page.getByText('已保存 mia 的可用模型').waitFor()
    assert.equal(await mia.getByTestId('user-models').inputValue(), 'general_v2.0, general_v3.0')
    // The admin's own row cannot be changed here (it is the environment's login).
    assert.equal(await dialog.locator(`[data-testid=user-row][data-username=${USER}] [data-testid=user-toggle]`).isVisible(), false)
    await mkdir(screenshotDir, { recursive: true })
    await page.screenshot({ path: `${screenshotDir}/accounts.png` })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })

    // Mia logs in: no accounts button, no pause, and nothing of the admin's in her history.
    await page.context().clearCookies()
    await page.goto(stack.baseUrl)
    await page.getByTestId('login-dialog').waitFor({ timeout: 15_000 })
    await page.getByTestId('login-username').fill('mia')
    await page.getByTestId('login-password').fill('mia password 1')
    await Promise.all([page.waitForEvent('load'), page.getByTestId('login-submit').click()])
    await waitForModels(page)
    await page.getByTestId('history-empty').waitFor()
    assert.equal(await page.getByText(PROMPT).count(), 0, 'the admin’s task is not in the member’s history')
    assert.equal(await page.getByTestId('users-open').isVisible(), false)
    assert.equal(await page.getByTestId('queue-pause').isVisible(), false)
    assert.deepEqual(problems, [])
  })
  await page.close()
})
