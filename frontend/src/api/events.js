// GET /api/v1/events: one Server-Sent Events stream of every task change. A browser that reconnects
// by itself sends Last-Event-ID; a new EventSource cannot set headers, so the id goes in the query.
export function eventsUrl(lastEventId) {
  return lastEventId ? `/api/v1/events?${new URLSearchParams({ last_event_id: lastEventId })}` : '/api/v1/events'
}
