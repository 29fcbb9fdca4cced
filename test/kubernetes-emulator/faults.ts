/**
 * Faults a test queues for the next matching request(s). Each answers like the real API server
 * would in that situation: a `Status` object with the code and reason.
 */
export type Fault =
  | {
      /** Answer with an error `Status` instead of handling the request. */
      type: 'status'
      code: 409 | 422 | 429 | 500 | 503
      /** Only requests with this method (GET, PATCH, ...). */
      method?: string
      /** Only requests whose path matches (exact string or RegExp). */
      path?: string | RegExp
      /** How many matching requests fail; default 1. */
      times?: number
      message?: string
    }
  | {
      /** A watch that ends (the server closes the stream) after `afterEvents` events. */
      type: 'drop-watch'
      path?: string | RegExp
      afterEvents?: number
      times?: number
    }
  | {
      /** The Deployment controller ignores this Deployment: its rollout never progresses. */
      type: 'stall-rollout'
      namespace?: string
      deployment: string
    }

interface Pending {
  fault: Fault
  left: number
}

export class Faults {
  private readonly pending: Pending[] = []

  add(fault: Fault): void {
    const times = 'times' in fault && fault.times !== undefined ? fault.times : 1
    this.pending.push({ fault, left: fault.type === 'stall-rollout' ? Infinity : times })
  }

  /** The status fault for this request, consumed. */
  takeStatus(method: string, path: string): Extract<Fault, { type: 'status' }> | undefined {
    return this.take(
      'status',
      (f: Extract<Fault, { type: 'status' }>) =>
        (!f.method || f.method.toUpperCase() === method) && matches(f.path, path)
    ) as Extract<Fault, { type: 'status' }> | undefined
  }

  takeWatchDrop(path: string): Extract<Fault, { type: 'drop-watch' }> | undefined {
    return this.take('drop-watch', (f: Extract<Fault, { type: 'drop-watch' }>) =>
      matches(f.path, path)
    ) as Extract<Fault, { type: 'drop-watch' }> | undefined
  }

  stalled(namespace: string, name: string): boolean {
    return this.pending.some(
      p =>
        p.fault.type === 'stall-rollout' &&
        p.fault.deployment === name &&
        (p.fault.namespace ?? namespace) === namespace
    )
  }

  private take(type: Fault['type'], test: (f: never) => boolean): Fault | undefined {
    const index = this.pending.findIndex(p => p.fault.type === type && test(p.fault as never))
    if (index < 0) return undefined
    const entry = this.pending[index]
    entry.left--
    if (entry.left <= 0) this.pending.splice(index, 1)
    return entry.fault
  }
}

function matches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true
  return typeof pattern === 'string' ? pattern === path : pattern.test(path)
}
