import { describe, expect, it } from '@jest/globals'
import { InputError, Inputs } from '@slipway/kit'
import { inputErrorOf } from '../helpers/input-error.js'

function inputsOf(values: Record<string, string>): Inputs {
  return new Inputs(name => values[name])
}

describe('Inputs', () => {
  it('reads strings, trims them and treats blank as absent', () => {
    const inputs = inputsOf({ name: '  api  ', blank: '   ' })
    expect(inputs.string('name')).toBe('api')
    expect(inputs.string('blank', { default: 'x' })).toBe('x')
    expect(inputs.read).toEqual(new Set(['name', 'blank']))
  })

  it('names the input, the expected form and what it got', () => {
    const error = inputErrorOf(() =>
      inputsOf({ retries: 'three' }).int('retries', { min: 0, max: 10 })
    )
    expect(error.message).toBe(`Input 'retries': expected a whole number from 0 to 10, got "three"`)
    expect(inputErrorOf(() => inputsOf({}).requiredString('environment')).message).toBe(
      `Input 'environment': expected a value, got nothing`
    )
  })

  it('checks integer bounds', () => {
    expect(inputsOf({ n: '5' }).int('n', { min: 1 })).toBe(5)
    expect(() => inputsOf({ n: '0' }).int('n', { min: 1 })).toThrow(
      `expected a whole number of at least 1, got "0"`
    )
    expect(() => inputsOf({ n: '2.5' }).int('n')).toThrow(InputError)
  })

  it('accepts the YAML 1.2 booleans and nothing else', () => {
    expect(inputsOf({ a: 'true', b: 'FALSE' }).bool('a')).toBe(true)
    expect(inputsOf({ a: 'true', b: 'FALSE' }).bool('b', true)).toBe(false)
    expect(inputsOf({}).bool('c', true)).toBe(true)
    expect(() => inputsOf({ a: 'yes' }).bool('a')).toThrow(
      `Input 'a': expected true or false, got "yes"`
    )
  })

  it('parses durations and rejects nonsense', () => {
    const inputs = inputsOf({ a: '1h30m', b: '250ms', c: '45', d: '5 minutes' })
    expect(inputs.duration('a')).toBe(5_400_000)
    expect(inputs.duration('b')).toBe(250)
    expect(inputs.duration('c')).toBe(45_000)
    expect(inputs.duration('missing', { default: '2m' })).toBe(120_000)
    expect(() => inputs.duration('d')).toThrow(
      `expected a duration such as 30s, 5m or 1h30m, got "5 minutes"`
    )
  })

  it('splits lists on commas and new lines', () => {
    expect(inputsOf({ l: 'a, b\nc,,\n' }).list('l')).toEqual(['a', 'b', 'c'])
    expect(inputsOf({}).list('l')).toEqual([])
  })

  it('restricts enums', () => {
    const inputs = inputsOf({ s: 'blue-green', t: 'purple' })
    expect(inputs.enumOf('s', ['blue-green', 'canary'] as const)).toBe('blue-green')
    expect(() => inputs.enumOf('t', ['blue-green', 'canary'] as const)).toThrow(
      `Input 't': expected one of blue-green, canary, got "purple"`
    )
  })

  it('validates URLs without echoing passwords', () => {
    const inputs = inputsOf({
      ok: 'https://example.test/x',
      bad: 'ftp://user:hunter22@example.test/'
    })
    expect(inputs.url('ok')?.hostname).toBe('example.test')
    const error = inputErrorOf(() => inputs.url('bad'))
    expect(error.message).toContain('expected a URL starting with http:// or https://')
    expect(error.message).not.toContain('hunter22')
  })

  it('parses YAML and JSON blocks with the parser message', () => {
    const inputs = inputsOf({
      y: '- type: http\n  url: https://a.test',
      bad: 'a: [1, 2',
      j: '{"a":1}',
      badj: '{a:1}'
    })
    expect(inputs.yaml('y')).toEqual([{ type: 'http', url: 'https://a.test' }])
    expect(() => inputs.yaml('bad')).toThrow(/Input 'bad': expected valid YAML/)
    expect(inputs.json('j')).toEqual({ a: 1 })
    expect(() => inputs.json('badj')).toThrow(/Input 'badj': expected valid JSON/)
  })

  describe('readers with a default or required: true return a value', () => {
    // The annotations are the type-level half of these tests: tsc fails the type-check if a
    // reader with a default or `required: true` is typed as possibly undefined again.
    it('apply the default when the input is absent or blank', () => {
      const inputs = inputsOf({ blank: '  ' })
      const name: string = inputs.string('name', { default: 'api' })
      const retries: number = inputs.int('retries', { default: 3, min: 0 })
      const timeoutMs: number = inputs.duration('timeout', { default: '90s', min: 1 })
      const strategy: 'blue-green' | 'canary' = inputs.enumOf(
        'strategy',
        ['blue-green', 'canary'] as const,
        { default: 'canary' }
      )
      const blank: string = inputs.string('blank', { default: 'fallback' })
      expect([name, retries, timeoutMs, strategy, blank]).toEqual([
        'api',
        3,
        90_000,
        'canary',
        'fallback'
      ])
    })

    it('return the given value over the default', () => {
      const inputs = inputsOf({ name: 'web', retries: '0', timeout: '5m', strategy: 'blue-green' })
      const name: string = inputs.string('name', { default: 'api' })
      const retries: number = inputs.int('retries', { default: 3 })
      const timeoutMs: number = inputs.duration('timeout', { default: '90s' })
      const strategy: 'blue-green' | 'canary' = inputs.enumOf(
        'strategy',
        ['blue-green', 'canary'] as const,
        { default: 'canary' }
      )
      expect([name, retries, timeoutMs, strategy]).toEqual(['web', 0, 300_000, 'blue-green'])
    })

    it('still check a given value against the bounds, and a default duration too', () => {
      expect(() => inputsOf({ retries: '-1' }).int('retries', { default: 3, min: 0 })).toThrow(
        `Input 'retries': expected a whole number of at least 0, got "-1"`
      )
      expect(() => inputsOf({}).duration('timeout', { default: '10ms', min: 100 })).toThrow(
        `Input 'timeout': expected a duration such as 30s, 5m or 1h30m, at least 100ms, got "10ms"`
      )
    })

    it('with required: true, return the value or throw an InputError naming the input', () => {
      const inputs = inputsOf({
        name: 'api',
        port: '8080',
        timeout: '2s',
        strategy: 'canary',
        url: 'https://example.test/'
      })
      const name: string = inputs.string('name', { required: true })
      const port: number = inputs.int('port', { required: true, min: 1 })
      const timeoutMs: number = inputs.duration('timeout', { required: true })
      const strategy: 'blue-green' | 'canary' = inputs.enumOf(
        'strategy',
        ['blue-green', 'canary'] as const,
        { required: true }
      )
      const url: URL = inputs.url('url', { required: true })
      expect([name, port, timeoutMs, strategy, url.hostname]).toEqual([
        'api',
        8080,
        2000,
        'canary',
        'example.test'
      ])
      const empty = inputsOf({})
      expect(inputErrorOf(() => empty.int('port', { required: true })).input).toBe('port')
      expect(inputErrorOf(() => empty.duration('timeout', { required: true })).input).toBe(
        'timeout'
      )
      expect(
        inputErrorOf(() => empty.enumOf('strategy', ['blue-green'] as const, { required: true }))
          .message
      ).toBe(`Input 'strategy': expected one of blue-green, got nothing`)
      expect(inputErrorOf(() => empty.url('url', { required: true })).input).toBe('url')
    })

    it('without either, may return undefined (and are typed so)', () => {
      const inputs = inputsOf({})
      // @ts-expect-error no default and not required: the value may be absent
      const name: string = inputs.string('name')
      // @ts-expect-error a default that may itself be undefined promises nothing
      const retries: number = inputs.int('retries', { default: undefined as number | undefined })
      // @ts-expect-error required: false promises nothing either
      const timeoutMs: number = inputs.duration('timeout', { required: false })
      expect([name, retries, timeoutMs]).toEqual([undefined, undefined, undefined])
    })
  })
})
