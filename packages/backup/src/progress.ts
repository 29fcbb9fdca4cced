import { Transform, type TransformCallback } from 'node:stream'
import { formatByteRate, formatBytes, heartbeat, type Heartbeat } from '@slipway/kit'

/**
 * A pass-through stage that logs how much data has moved and how fast, once per interval, so a
 * long dump or restore shows in the log that it is moving. A timer ticks as well as the data,
 * so a stalled stream still says so; it is stopped when the stream ends or fails.
 */
export class MeterStage extends Transform {
  bytes = 0
  private readonly beat: Heartbeat
  private readonly timer: NodeJS.Timeout

  constructor(log: (message: string) => void, label: string, everyMs?: number) {
    super()
    this.beat = heartbeat(
      { info: log },
      { now: () => Date.now(), sleep: ms => new Promise(resolve => setTimeout(resolve, ms)) },
      everyMs,
      elapsed => `${label}: ${formatBytes(this.bytes)} done, ${formatByteRate(this.bytes, elapsed)}`
    )
    this.timer = setInterval(() => this.beat.tick(), Math.max(1, everyMs ?? 15_000))
    this.timer.unref()
    const stop = (): void => clearInterval(this.timer)
    this.once('end', stop)
    this.once('close', stop)
    this.once('error', stop)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length
    this.beat.tick()
    callback(null, chunk)
  }

  /** Lines logged so far. */
  get lines(): number {
    return this.beat.lines
  }
}
