import type { ServerResponse } from 'node:http'
import type { Faults } from './faults.js'
import type { Store, StoreEvent } from './store.js'
import type { Kind, KubeObject } from './types.js'
import { resourceByKind } from './resources.js'
import { matchesFieldSelector, matchesLabelSelector } from './selectors.js'

export interface WatchRequest {
  kind: Kind
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
  /** Resume after this version; undefined or "0" starts with ADDED events for what exists. */
  resourceVersion?: string
  timeoutSeconds?: number
  /**
   * WatchList (`sendInitialEvents=true`, `resourceVersionMatch=NotOlderThan`): ADDED for what
   * exists, then a BOOKMARK annotated `k8s.io/initial-events-end`, which the informers of Go
   * clients (helm's --wait) wait for before they count the list as complete.
   */
  sendInitialEvents?: boolean
  path: string
}

/**
 * A watch: newline-separated JSON events on a chunked response, like the API server. Events
 * after the requested resourceVersion are replayed first; a version too old gets an ERROR event
 * with a 410 Gone Status. A `drop-watch` fault ends the stream from the server side.
 */
export function serveWatch(
  res: ServerResponse,
  store: Store,
  faults: Faults,
  request: WatchRequest,
  check: (object: unknown) => void,
  onClose: (stop: () => void) => void
): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private'
  })
  // The API server sends the headers at once; clients wait for them before they count as watching.
  res.flushHeaders()
  const drop = faults.takeWatchDrop(request.path)
  let sent = 0
  let open = true
  const matches = (object: KubeObject): boolean =>
    object.kind === request.kind &&
    (request.namespace === undefined || object.metadata.namespace === request.namespace) &&
    (!request.labelSelector ||
      matchesLabelSelector(object.metadata.labels ?? {}, request.labelSelector)) &&
    (!request.fieldSelector || matchesFieldSelector(object, request.fieldSelector))
  const stop = (): void => {
    if (!open) return
    open = false
    unsubscribe()
    clearTimeout(timer)
    res.end()
  }
  const send = (type: string, object: unknown): void => {
    if (!open) return
    check(object)
    res.write(`${JSON.stringify({ type, object })}\n`)
    sent++
    if (drop && sent >= (drop.afterEvents ?? 0)) {
      // Ends the response without an error, as a proxy or an API server restart would.
      stop()
      res.socket?.destroySoon?.()
    }
  }
  const queued: StoreEvent[] = []
  let replaying = true
  const unsubscribe = store.subscribe(event => {
    if (replaying) queued.push(event)
    else if (matches(event.object)) send(event.type, event.object)
  })
  const timer = setTimeout(stop, Math.min(request.timeoutSeconds ?? 1800, 1800) * 1000)
  timer.unref()
  onClose(stop)
  if (drop && (drop.afterEvents ?? 0) === 0) {
    replaying = false
    stop()
    return
  }
  const rv = request.resourceVersion
  let last = store.resourceVersion
  if (request.sendInitialEvents) {
    for (const object of store.list(
      request.kind,
      request.namespace,
      request.labelSelector,
      request.fieldSelector
    ))
      send('ADDED', object)
    // A bookmark carries only the kind and the resourceVersion: not a full object to check.
    if (open)
      res.write(
        `${JSON.stringify({
          type: 'BOOKMARK',
          object: {
            kind: request.kind,
            apiVersion: resourceByKind(request.kind).apiVersion,
            metadata: {
              resourceVersion: String(last),
              annotations: { 'k8s.io/initial-events-end': 'true' }
            }
          }
        })}\n`
      )
  } else if (rv === undefined || rv === '' || rv === '0') {
    for (const object of store.list(
      request.kind,
      request.namespace,
      request.labelSelector,
      request.fieldSelector
    ))
      send('ADDED', object)
  } else {
    const events = store.since(Number(rv))
    if (!events) {
      send('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${rv} (${store.resourceVersion})`,
        reason: 'Expired',
        code: 410
      })
      stop()
      return
    }
    for (const event of events) if (matches(event.object)) send(event.type, event.object)
    last = Math.max(last, ...events.map(e => e.resourceVersion))
  }
  replaying = false
  for (const event of queued)
    if (event.resourceVersion > last && matches(event.object)) send(event.type, event.object)
}
