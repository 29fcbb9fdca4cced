import { describe, expect, it } from '@jest/globals'
import { formatDuration, parseDuration, Redactor, redactUrlPasswords } from '@slipway/kit'

describe('Redactor', () => {
  it('removes registered secrets and their URL-encoded form', () => {
    const redactor = new Redactor()
    redactor.add('p@ss/word!')
    expect(redactor.redact('token p@ss/word! and p%40ss%2Fword!')).toBe('token *** and ***')
  })

  it('removes passwords inside any URL even when not registered', () => {
    expect(
      redactUrlPasswords('postgres://app:s3cr3t@db.internal:5432/app and https://h.test')
    ).toBe('postgres://app:***@db.internal:5432/app and https://h.test')
  })

  it('learns the password of a URL', () => {
    const redactor = new Redactor()
    redactor.addUrlCredentials('mysql://root:t%C3%B6ken99@127.0.0.1/db')
    expect(redactor.redact('password was töken99')).toBe('password was ***')
  })

  it('ignores very short values that would redact ordinary text', () => {
    const redactor = new Redactor()
    redactor.add('a')
    expect(redactor.redact('a cat')).toBe('a cat')
  })
})

describe('durations', () => {
  it('round-trips common values', () => {
    expect(parseDuration('30s')).toBe(30_000)
    expect(parseDuration('1.5m')).toBe(90_000)
    expect(parseDuration('2d')).toBe(172_800_000)
    expect(parseDuration('')).toBeUndefined()
    expect(parseDuration('m5')).toBeUndefined()
    expect(formatDuration(850)).toBe('850ms')
    expect(formatDuration(12_340)).toBe('12.3s')
    expect(formatDuration(245_000)).toBe('4m 05s')
    expect(formatDuration(3_720_000)).toBe('1h 02m')
  })
})
