import { parsers, preloadParsers } from '@slipway/kit'
import type { Probe } from './types.js'

/** A fixed period, such as a year-end freeze: [start, end) in epoch milliseconds. */
export interface FreezeRange {
  name: string
  start: number
  end: number
}

/** A recurring period: it opens at each time the cron expression fires (in `timezone`) and lasts `durationMs`. */
export interface FreezeRecurring {
  name: string
  cron: string
  durationMs: number
  timezone: string
}

export type FreezeWindow = FreezeRange | FreezeRecurring

export interface FreezeSpec {
  windows: FreezeWindow[]
  /** Clock; defaults to now. Tests and the dry-run plan pass their own. */
  now?: () => number
}

export interface WindowState {
  name: string
  active: boolean
  /** The start and end of the occurrence that holds `now`, or of the next one. */
  start?: number
  end?: number
}

/**
 * Fails while any freeze window is open, naming it and when it ends; otherwise passes and
 * names the next window that will open, so the team sees it coming.
 */
export const freezeProbe: Probe<FreezeSpec> = async spec => {
  if (spec.windows.some(window => 'cron' in window)) await preloadParsers(['cron-parser'])
  const now = (spec.now ?? Date.now)()
  const states = spec.windows.map(window => windowState(window, now))
  const active = states.filter(state => state.active)
  const details = { now: new Date(now).toISOString(), windows: states.map(serialise) }
  if (active.length > 0) {
    const names = active.map(state => `${state.name} (until ${iso(state.end)})`).join(', ')
    return { ok: false, message: `deployments are frozen: ${names}`, details }
  }
  const upcoming = states
    .filter(state => state.start !== undefined && state.start > now)
    .sort((a, b) => (a.start as number) - (b.start as number))[0]
  const next = upcoming ? `; next: ${upcoming.name} from ${iso(upcoming.start)}` : ''
  return { ok: true, message: `no freeze window is open${next}`, details }
}

export function windowState(window: FreezeWindow, now: number): WindowState {
  if ('cron' in window) {
    const { CronExpressionParser } = parsers.cron()
    const options = { tz: window.timezone }
    // prev() from now + 1 ms is the latest opening at or before now (cron times have no milliseconds).
    const start = CronExpressionParser.parse(window.cron, {
      ...options,
      currentDate: new Date(now + 1)
    })
      .prev()
      .getTime()
    const end = start + window.durationMs
    if (now < end) return { name: window.name, active: true, start, end }
    const nextStart = CronExpressionParser.parse(window.cron, {
      ...options,
      currentDate: new Date(now)
    })
      .next()
      .getTime()
    return {
      name: window.name,
      active: false,
      start: nextStart,
      end: nextStart + window.durationMs
    }
  }
  const active = now >= window.start && now < window.end
  if (active || window.start > now)
    return { name: window.name, active, start: window.start, end: window.end }
  return { name: window.name, active: false }
}

function serialise(state: WindowState): Record<string, unknown> {
  return {
    name: state.name,
    active: state.active,
    start: state.start && iso(state.start),
    end: state.end && iso(state.end)
  }
}

function iso(ms: number | undefined): string {
  return ms === undefined ? '?' : new Date(ms).toISOString().replace(/:00\.000Z$/, 'Z')
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/

/**
 * Reads a date or date-time for a freeze range. A value with an offset (`Z`, `+02:00`) is taken
 * as is; a local one (`2026-12-24`, `2026-12-24T18:00`) is read in `timeZone`. A bare date means
 * the start of that day, or with `endOfDay` the end of it, so `to: 2027-01-02` includes the 2nd.
 * Undefined when the text is not such a date.
 */
export function parseZonedDate(
  text: string,
  timeZone: string,
  endOfDay = false
): number | undefined {
  const value = text.trim()
  const local = LOCAL.exec(value)
  if (!local) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value))
      return undefined
    const ms = Date.parse(value)
    return Number.isNaN(ms) ? undefined : ms
  }
  const [year, month, day, hour, minute, second] = local
    .slice(1)
    .map(part => (part === undefined ? undefined : Number(part)))
  const dateOnly = hour === undefined
  const wall = Date.UTC(year!, month! - 1, day!, hour ?? 0, minute ?? 0, second ?? 0)
  const check = new Date(wall)
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month! - 1 ||
    check.getUTCDate() !== day
  )
    return undefined
  if (dateOnly && endOfDay) return zonedWallToUtc(wall + 86_400_000, timeZone)
  return zonedWallToUtc(wall, timeZone)
}

/** Converts a wall-clock time in `timeZone` (given as if it were UTC) to the real instant. */
export function zonedWallToUtc(wall: number, timeZone: string): number {
  // Two passes settle the offset across a daylight-saving change.
  let guess = wall - offsetOf(wall, timeZone)
  guess = wall - offsetOf(guess, timeZone)
  return guess
}

function offsetOf(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit'
  }).formatToParts(new Date(instant))
  const get = (type: string): number => Number(parts.find(part => part.type === type)?.value)
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second')
  )
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** True when `timeZone` is an IANA name this runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

/** Throws the parser's message when the cron expression is not valid. */
export function validateCron(expression: string, timeZone: string): void {
  const message = cronProblem(expression, timeZone)
  if (message !== undefined) throw new Error(message)
}

/**
 * The parser's message when the cron expression is not valid. Only the parse is caught: a
 * parser that was not loaded is a bug and throws, rather than reading as a bad expression.
 */
export function cronProblem(expression: string, timeZone: string): string | undefined {
  const { CronExpressionParser } = parsers.cron()
  try {
    CronExpressionParser.parse(expression, { tz: timeZone, strict: false }).next()
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
