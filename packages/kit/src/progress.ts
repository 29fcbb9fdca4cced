import type { Clock, Progress } from './ports.js'

/** How often a wait says it is still waiting: GitHub's log looks stuck after a quiet minute. */
export const HEARTBEAT_MS = 15_000

/** A wait's "still waiting" lines, at most one per interval, driven by the stage's clock. */
export interface Heartbeat {
  /** Prints the description when the interval has passed since the last line (or the start). */
  tick(): void
  /**
   * Sleeps `ms` in slices no longer than the interval, ticking between them, so a long pause
   * still prints a line every interval.
   */
  sleep(ms: number): Promise<void>
  /** Lines printed so far. */
  readonly lines: number
}

/**
 * A heartbeat for one wait. Driven by ticks rather than a timer so a test's clock decides when
 * a line is due, and a wait that ends prints nothing more.
 */
export function heartbeat(
  progress: Pick<Progress, 'info'>,
  clock: Clock,
  everyMs: number = HEARTBEAT_MS,
  describe: (elapsedMs: number) => string
): Heartbeat {
  const interval = Math.max(1, everyMs)
  const started = clock.now()
  let last = started
  let lines = 0
  const tick = (): void => {
    const now = clock.now()
    if (now - last < interval) return
    last = now
    lines++
    progress.info(describe(now - started))
  }
  return {
    tick,
    async sleep(ms) {
      const until = clock.now() + Math.max(0, ms)
      // Bounded by the slices a pause of `ms` holds, whatever the clock does.
      for (let slice = 0; slice <= Math.ceil(ms / interval) + 2; slice++) {
        const left = until - clock.now()
        if (left <= 0) break
        await clock.sleep(Math.max(1, Math.min(left, interval - (clock.now() - last))))
        // A line due as the sleep ends is left to the caller, who knows more by then.
        if (until - clock.now() > 0) tick()
      }
    },
    get lines() {
      return lines
    }
  }
}

/**
 * Runs `fn` inside a collapsible group of the log when the progress port has groups (the
 * action front end), else after a header line (the CLI, tests), so each stage reads as one block.
 */
export async function inGroup<T>(
  progress: Progress,
  name: string,
  fn: () => Promise<T>
): Promise<T> {
  if (progress.group) return progress.group(name, fn)
  progress.info(`── ${name} ──`)
  return fn()
}
