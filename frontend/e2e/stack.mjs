// Starts the real stack for the browser tests: the backend jar in demo mode and nginx with the
// repository's nginx.conf template, both on free 127.0.0.1 ports and with state in temp directories.
// Everything started here is stopped by stop(), and by a process 'exit' hook if a run is cut short.
import { spawn, spawnSync } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createWriteStream, existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const frontendDir = fileURLToPath(new URL('..', import.meta.url))
export const repoDir = join(frontendDir, '..')
const jar = join(repoDir, 'backend', 'app', 'target', 'volc-image-studio.jar')
// `make test-e2e` starts the backend as `make run` does: the extracted jar with its class-data archive
// and the default JVM flags (E2E_JAVA_ARGS, E2E_JAR), about a quarter of the start-up time of a bare
// `java -jar` on two cores. Run directly (`npm run test:e2e`), the plain jar.
const javaArgs = process.env.E2E_JAVA_ARGS ? process.env.E2E_JAVA_ARGS.split(/\s+/).filter(Boolean) : []
const startJar = process.env.E2E_JAR || jar
const nginxTemplate = join(repoDir, 'nginx.conf')
const distDir = join(frontendDir, 'dist')
const PLACEHOLDERS = ['${NGINX_LISTEN}', '${BACKEND_UPSTREAM}', '${FRONTEND_ROOT}']

// Children stay in our process group, so a Ctrl-C in the terminal reaches them as well; the 'exit'
// hook covers a test process that ends without running the after() hook.
const children = new Set()
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')))

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

// The last lines of a log without Java's stack frames ("\tat …"), which would fill them and hide the
// exception's own line, the one that says what went wrong.
function tail(file, lines = 25) {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .filter((line) => !/^\s+(at |\.\.\. \d+ more)/.test(line))
      .slice(-lines)
      .join('\n')
  } catch {
    return '(no log)'
  }
}

function start(command, args, { env, log }) {
  const out = createWriteStream(log)
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.pipe(out)
  child.stderr.pipe(out)
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  children.add(child)
  return child
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await child.exited
  clearTimeout(timer)
  children.delete(child)
}

// Polls url until it answers 200; fails at once if the process dies, with its log in the message.
async function waitUntilServing(url, child, log, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  let died = false
  child.exited.then(() => (died = true))
  while (Date.now() < deadline) {
    if (died) throw new Error(`${url}: the process exited (${child.exitCode ?? child.signalCode}):\n${tail(log)}`)
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${tail(log)}`)
}

// The page must be tested as built from the current sources, never a stale dist/. run.mjs builds it
// once before the files start (E2E_PREBUILT); a file run on its own builds in place. Two builds at
// once would delete each other's assets under a running nginx, which is why files never build while
// others run.
function buildFrontend() {
  if (process.env.E2E_PREBUILT) return
  const result = spawnSync(process.execPath, ['build.mjs'], { cwd: frontendDir, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`)
}

function demoEnvironment(extra) {
  // Demo mode means no credentials at all: drop any VolcEngine/Ark key the developer has exported.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VOLC|ARK)_/.test(name)))
  return { ...env, ...extra }
}

async function startBackend(work, extraEnv) {
  const port = await freePort()
  const dataDir = join(work, 'data')
  await mkdir(dataDir)
  const log = join(work, 'backend.log')
  const env = demoEnvironment({ ...extraEnv, APP_HOST: '127.0.0.1', APP_PORT: String(port), DATA_DIR: dataDir })
  const child = start('java', [...javaArgs, '-jar', startJar], { env, log })
  // /api/v1/auth/me answers 200 with or without login (APP_AUTH_USERNAME), unlike the rest of the API.
  await waitUntilServing(`http://127.0.0.1:${port}/api/v1/auth/me`, child, log, 90_000)
  return { child, port, log }
}

// nginx.conf is a server-block template (rendered with envsubst in the nginx image); wrap it in a
// minimal main config whose every path lies in the temp prefix.
async function startNginx(work, backendPort, port) {
  const prefix = join(work, 'nginx')
  await mkdir(join(prefix, 'tmp'), { recursive: true })
  // Workers run as nobody when the tests run as root: they must be able to enter and write here.
  await chmod(work, 0o755)
  await chmod(prefix, 0o755)
  await chmod(join(prefix, 'tmp'), 0o777)

  const template = await readFile(nginxTemplate, 'utf8')
  const values = [`127.0.0.1:${port}`, `127.0.0.1:${backendPort}`, distDir]
  let server = template
  PLACEHOLDERS.forEach((placeholder, i) => {
    if (!server.includes(placeholder)) throw new Error(`${nginxTemplate} has no ${placeholder} placeholder`)
    server = server.replaceAll(placeholder, values[i])
  })
  await writeFile(join(prefix, 'server.conf'), server)
  await writeFile(
    join(prefix, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${prefix}/access.log;
    client_body_temp_path ${prefix}/tmp/client_body;
    proxy_temp_path ${prefix}/tmp/proxy;
    fastcgi_temp_path ${prefix}/tmp/fastcgi;
    uwsgi_temp_path ${prefix}/tmp/uwsgi;
    scgi_temp_path ${prefix}/tmp/scgi;
    include ${prefix}/server.conf;
}
`,
  )
  const log = join(prefix, 'error.log')
  const nginx = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx'
  const child = start(nginx, ['-p', prefix, '-e', log, '-c', join(prefix, 'nginx.conf')], { env: process.env, log: join(prefix, 'stdout.log') })
  await waitUntilServing(`http://127.0.0.1:${port}/`, child, log, 15_000)
  return { child, port, log }
}

// env: extra backend settings for this stack, e.g. {DEMO_LATENCY: '4s'} to keep tasks running long
// enough to be cancelled from the page.
export async function startStack({ env = {} } = {}) {
  for (const [file, hint] of [
    [jar, 'build it with `make build` (or `mvn -f backend/pom.xml package -DskipTests`)'],
    [nginxTemplate, 'the nginx server template belongs at the repository root'],
  ]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: ${hint}`)
  }
  buildFrontend()
  const work = await mkdtemp(join(tmpdir(), 'volc-studio-e2e-'))
  const stack = { work, backend: null, nginx: null }
  try {
    stack.backend = await startBackend(work, env)
    stack.nginx = await startNginx(work, stack.backend.port, await freePort())
  } catch (error) {
    await stopStack(stack)
    throw error
  }
  stack.baseUrl = `http://127.0.0.1:${stack.nginx.port}`
  return stack
}

export async function stopStack(stack) {
  if (!stack) return
  await stopChild(stack.nginx?.child)
  await stopChild(stack.backend?.child)
  if (process.env.E2E_KEEP_TMP) console.log(`kept ${stack.work}`)
  else await rm(stack.work, { recursive: true, force: true })
}

// Stops nginx, which drops every open connection (the page's event stream among them), until
// resumeProxy() starts it again on the same port: a network outage, as the browser sees it.
export async function pauseProxy(stack) {
  await stopChild(stack.nginx.child)
}

export async function resumeProxy(stack) {
  stack.nginx = await startNginx(stack.work, stack.backend.port, stack.nginx.port)
}

// The built-in emulator's address in demo mode, from the backend's log line that names it: its control
// API (/_emulator/faults) lets a test break the service the backend talks to.
export function emulatorEndpoint(stack) {
  const match = readFileSync(stack.backend.log, 'utf8').match(/built-in emulator at (http:\/\/127\.0\.0\.1:\d+)/)
  if (!match) throw new Error(`no emulator address in ${stack.backend.log}:\n${tail(stack.backend.log)}`)
  return match[1]
}

export { tail as logTail }
