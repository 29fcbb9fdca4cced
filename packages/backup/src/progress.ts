import { Transform, type TransformCallback } from 'node:stream'
import {
  formatByteRate,
  formatBytes,
  heartbeat,
  systemClock,
  type Clock,
  type Heartbeat
} from '@slipway/kit'

export interface MeterOptions {
  /** How often a line is due; 15 s by default. */
  everyMs?: number
  /** The size the bytes count towards (a backup file's, from its manifest), when known. */
  total?: number
  /** Decides when a line is due (a test's clock); the system clock by default. */
  clock?: Pick<Clock, 'now'>
}

/**
 * Counts bytes as they move and logs how much is done and how fast, at most once per interval,
 * so a long dump, checksum pass or restore shows in the log that it is moving. A timer ticks as
 * well as the data, so a stalled stream still says so; `stop()` ends it.
 */
export class ByteMeter {
  bytes = 0
  private readonly beat: Heartbeat
  private readonly timer: NodeJS.Timeout
  private stopped = false

  constructor(log: (message: string) => void, label: string, options: MeterOptions = {}) {
    const { total, everyMs } = options
    const clock = options.clock ?? systemClock
    this.beat = heartbeat(
      { info: log },
      { now: () => clock.now(), sleep: systemClock.sleep },
      everyMs,
      elapsed => {
        const done =
          total === undefined
            ? formatBytes(this.bytes)
            : `${formatBytes(this.bytes)} of ${formatBytes(total)}`
        return `${label}: ${done} done, ${formatByteRate(this.bytes, elapsed)}`
      }
    )
    this.timer = setInterval(() => this.beat.tick(), Math.max(1, everyMs ?? 15_000))
    this.timer.unref()
  }

  add(count: number): void {
    this.bytes += count
    if (!this.stopped) this.beat.tick()
  }

  /** No more lines: the data has all moved, or the stream failed. */
  stop(): void {
    this.stopped = true
    clearInterval(this.timer)
  }

  /** Lines logged so far. */
  get lines(): number {
    return this.beat.lines
  }
}

/** A pass-through stream stage that meters what flows through it (see ByteMeter). */
export class MeterStage extends Transform {
  private readonly meter: ByteMeter

  constructor(
    log: (message: string) => void,
    label: string,
    everyMs?: number,
    options: Omit<MeterOptions, 'everyMs'> = {}
  ) {
    super()
    this.meter = new ByteMeter(log, label, { ...options, everyMs })
    const stop = (): void => this.meter.stop()
    this.once('end', stop)
    this.once('close', stop)
    this.once('error', stop)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.meter.add(chunk.length)
    callback(null, chunk)
  }

  get bytes(): number {
    return this.meter.bytes
  }

  /** Lines logged so far. */
  get lines(): number {
    return this.meter.lines
  }
}
