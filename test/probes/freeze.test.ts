import { describe, expect, it } from '@jest/globals'
import {
  freezeProbe,
  parseZonedDate,
  windowState,
  zonedWallToUtc,
  type FreezeWindow,
  type ProbeContext
} from '@slipway/probes'

const context: ProbeContext = { signal: new AbortController().signal, timeoutMs: 1000 }
const at = (iso: string) => () => Date.parse(iso)

// Friday 18:00 to Monday 08:00 Berlin time: 62 hours.
const weekend: FreezeWindow = {
  name: 'weekend',
  cron: '0 18 * * 5',
  durationMs: 62 * 3_600_000,
  timezone: 'Europe/Berlin'
}
const yearEnd: FreezeWindow = {
  name: 'year end',
  start: parseZonedDate('2026-12-24', 'Europe/Berlin')!,
  end: parseZonedDate('2027-01-02', 'Europe/Berlin', true)!
}

describe('freeze probe', () => {
  it('refuses inside a recurring window, naming it and its end', async () => {
    // Saturday noon in Berlin (CET, UTC+1).
    const outcome = await freezeProbe(
      { windows: [weekend], now: at('2026-11-28T11:00:00Z') },
      context
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toBe('deployments are frozen: weekend (until 2026-11-30T07:00Z)')
  })

  it('passes outside it and names the next window', async () => {
    const outcome = await freezeProbe(
      { windows: [weekend, yearEnd], now: at('2026-11-26T10:00:00Z') },
      context
    )
    expect(outcome.ok).toBe(true)
    expect(outcome.message).toBe('no freeze window is open; next: weekend from 2026-11-27T17:00Z')
  })

  it('opens exactly at the cron time and closes after the duration', () => {
    expect(windowState(weekend, Date.parse('2026-11-27T16:59:59Z')).active).toBe(false)
    expect(windowState(weekend, Date.parse('2026-11-27T17:00:00Z')).active).toBe(true)
    expect(windowState(weekend, Date.parse('2026-11-30T06:59:59Z')).active).toBe(true)
    expect(windowState(weekend, Date.parse('2026-11-30T07:00:00Z')).active).toBe(false)
  })

  it('follows the time zone across daylight saving time', () => {
    // In July Berlin is UTC+2: Friday 18:00 local is 16:00 UTC.
    expect(windowState(weekend, Date.parse('2026-07-03T15:59:00Z')).active).toBe(false)
    expect(windowState(weekend, Date.parse('2026-07-03T16:00:00Z')).active).toBe(true)
  })

  it('treats date ranges as whole local days, the last one included', async () => {
    expect(new Date(yearEnd.start as number).toISOString()).toBe('2026-12-23T23:00:00.000Z')
    expect(new Date(yearEnd.end as number).toISOString()).toBe('2027-01-02T23:00:00.000Z')
    const inside = await freezeProbe(
      { windows: [yearEnd], now: at('2027-01-02T20:00:00Z') },
      context
    )
    expect(inside.ok).toBe(false)
    expect(inside.message).toContain('year end (until 2027-01-02T23:00Z)')
    const after = await freezeProbe(
      { windows: [yearEnd], now: at('2027-01-03T00:00:00Z') },
      context
    )
    expect(after).toMatchObject({ ok: true, message: 'no freeze window is open' })
  })

  it('parses dates with and without offsets', () => {
    expect(parseZonedDate('2026-12-24T18:00', 'America/New_York')).toBe(
      Date.parse('2026-12-24T23:00:00Z')
    )
    expect(parseZonedDate('2026-12-24T18:00:00+02:00', 'UTC')).toBe(
      Date.parse('2026-12-24T16:00:00Z')
    )
    expect(parseZonedDate('2026-02-30', 'UTC')).toBeUndefined()
    expect(parseZonedDate('next friday', 'UTC')).toBeUndefined()
    // 02:30 on the spring-forward night does not exist in Berlin; it lands after the gap.
    expect(zonedWallToUtc(Date.UTC(2026, 2, 29, 3, 30), 'Europe/Berlin')).toBe(
      Date.parse('2026-03-29T01:30:00Z')
    )
  })
})
