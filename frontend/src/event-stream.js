import { eventsUrl } from './api/events.js'

// Every one of these carries the whole task JSON, so a client replaces what it knows instead of merging.
export const TASK_EVENTS = [
  'task.created',
  'task.progress',
  'task.image',
  'task.completed',
  'task.failed',
  'task.cancelled',
  'task.deleted',
]

const RETRY_MIN_MS = 1000
const RETRY_MAX_MS = 30_000

export function isTerminal(task) {
  return task?.status === 'completed' || task?.status === 'failed' || task?.status === 'cancelled'
}

// The page's single EventSource on /api/v1/events.
//   onOpen()          connected (first time or again): the caller reloads its state
//   onDown()          the stream is down; the browser or we are reconnecting
//   onTask(type, t)   a task event
//   onResync()        the server no longer has the events we missed: reload everything
//   onUsage(quota)    usage.changed: this month's {used, limit}, as quota in /api/v1/system/info
//   onQueue(summary)  queue.changed: {waiting, running, concurrency, paused}, waiting being a count
// While the connection is merely interrupted the browser reconnects by itself and resends
// Last-Event-ID. It gives up for good (readyState CLOSED) when an attempt gets a non-stream answer,
// e.g. nginx's 502 page while the backend restarts; then we reconnect with a growing delay and pass
// the last id in the query string, so no event is lost either way.
export function openEventStream({ onOpen, onDown, onTask, onResync, onUsage = () => {}, onQueue = () => {} }) {
  let source = null
  let lastEventId = ''
  let retryMs = RETRY_MIN_MS
  let timer = null

  const remember = (event) => {
    if (event.lastEventId) lastEventId = event.lastEventId
  }

  const connect = () => {
    source = new EventSource(eventsUrl(lastEventId))
    source.addEventListener('open', () => {
      retryMs = RETRY_MIN_MS
      onOpen()
    })
    for (const type of TASK_EVENTS) {
      source.addEventListener(type, (event) => {
        remember(event)
        let task
        try {
          task = JSON.parse(event.data)
        } catch {
          return // a malformed event is skipped; the next one for this task carries its full state again
        }
        if (task?.task_id) onTask(type, task)
      })
    }
    source.addEventListener('usage.changed', (event) => {
      remember(event)
      try {
        onUsage(JSON.parse(event.data))
      } catch {
        // a malformed event is skipped; the next one, or the 30 s system refresh, brings the figures
      }
    })
    source.addEventListener('queue.changed', (event) => {
      remember(event)
      let summary
      try {
        summary = JSON.parse(event.data)
      } catch {
        return // a malformed event is skipped; the next change, or the reload on reconnect, brings the state
      }
      onQueue(summary)
    })
    source.addEventListener('resync', (event) => {
      remember(event)
      onResync()
    })
    source.addEventListener('error', () => {
      onDown()
      if (source.readyState !== EventSource.CLOSED) return
      source.close()
      timer = setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
    })
  }

  connect()
  return () => {
    clearTimeout(timer)
    source?.close()
  }
}
