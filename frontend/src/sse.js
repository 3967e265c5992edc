import { getTask, taskEventsUrl } from './api/tasks.js'

// Every event's data is the full task JSON, so each one simply replaces what we know.
const EVENTS = ['task.snapshot', 'task.progress', 'task.image', 'task.completed', 'task.failed']
const POLL_MS = 1500
const MAX_POLL_FAILURES = 5
// Over HTTP/1.1 a browser opens at most six connections per origin, and every EventSource holds one
// for the whole task. Beyond a few concurrent tasks we poll instead, so API calls and images still load.
const MAX_STREAMS = 3
let openStreams = 0

export function isTerminal(task) {
  return task?.status === 'completed' || task?.status === 'failed'
}

// Follows one task until it completes or fails and returns a stop() function.
// EventSource reconnects by itself after a network blip; only when the browser gives up for good
// (readyState CLOSED: a 404, a proxy error page, a wrong content type) do we fall back to polling,
// so a task never sits at a stale percentage. onLost fires if polling cannot reach the task either.
export function followTask(taskId, { onUpdate, onLost }) {
  let stopped = false
  let source = null
  let timer = null

  const stop = () => {
    if (stopped) return
    stopped = true
    clearTimeout(timer)
    closeSource()
  }

  const closeSource = () => {
    if (!source) return
    source.close()
    source = null
    openStreams--
  }

  const accept = (task) => {
    if (stopped || !task) return
    onUpdate(task)
    if (isTerminal(task)) stop()
  }

  const poll = (failures = 0) => {
    if (stopped) return
    getTask(taskId).then(
      (task) => {
        accept(task)
        if (!stopped) timer = setTimeout(() => poll(0), POLL_MS)
      },
      () => {
        if (failures + 1 >= MAX_POLL_FAILURES) {
          stop()
          onLost?.()
        } else {
          timer = setTimeout(() => poll(failures + 1), POLL_MS * (failures + 2))
        }
      },
    )
  }

  if (openStreams >= MAX_STREAMS) {
    poll()
    return stop
  }
  source = new EventSource(taskEventsUrl(taskId))
  openStreams++
  for (const name of EVENTS) {
    source.addEventListener(name, (event) => {
      let task
      try {
        task = JSON.parse(event.data)
      } catch {
        return // a malformed event is skipped; the next one carries the full state again
      }
      accept(task)
    })
  }
  source.addEventListener('error', () => {
    if (stopped || source?.readyState !== EventSource.CLOSED) return
    closeSource()
    poll()
  })

  return stop
}
