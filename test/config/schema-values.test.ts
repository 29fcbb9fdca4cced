import { describe, expect, test } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { DURATION_PATTERN, loadConfigFile } from '@slipway/config'
import { InputError, Inputs, parseDuration } from '@slipway/kit'
import { repoRoot } from '../helpers/run-bundle.js'
import { tempDir } from '../helpers/temp-dir.js'

// The committed slipway.schema.json, as editors and the steps read it.
const schema = JSON.parse(readFileSync(join(repoRoot, 'slipway.schema.json'), 'utf8')) as {
  definitions: Record<string, { properties: Record<string, Record<string, unknown>> }>
}
const deploy = schema.definitions.deploy.properties

function loadError(text: string): InputError {
  const file = join(tempDir('config'), 'slipway.yml')
  writeFileSync(file, text)
  try {
    loadConfigFile(file, schema)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('the file was accepted')
}

describe('config file values', () => {
  test('`bluegreen` is refused at its line and column, with the nearest strategy', () => {
    const error = loadError(
      [
        'version: 1',
        'environments:',
        '  production:',
        '    deploy:',
        '      strategy: bluegreen',
        ''
      ].join('\n')
    )
    expect(error.input).toBe('config-file')
    expect(error.message).toContain(
      '/environments/production/deploy/strategy: expected one of blue-green, canary, rolling (did you mean `blue-green`?) (line 5, column 17)'
    )
  })

  test('`10 sec` is refused as a duration at its line and column', () => {
    const error = loadError(
      [
        'version: 1',
        'defaults:',
        '  deploy:',
        '    strategy: canary',
        '    health-timeout: 10 sec',
        ''
      ].join('\n')
    )
    expect(error.message).toContain(
      '/defaults/deploy/health-timeout: expected a duration such as 30s, 5m or 1h30m (line 5, column 21)'
    )
  })

  test('a value far from every allowed one gets no guess, and is never quoted', () => {
    const error = loadError(
      ['version: 1', 'defaults:', '  deploy:', '    router: ghp_SECRET1234567890', ''].join('\n')
    )
    expect(error.message).toContain(
      '/defaults/deploy/router: expected one of provider, haproxy, nginx (line 4, column 13)'
    )
    expect(error.message).not.toContain('did you mean')
    expect(error.message).not.toContain('SECRET')
  })

  test('several bad values are all named, each at its own line', () => {
    const error = loadError(
      [
        'version: 1',
        'defaults:',
        '  deploy:',
        '    provider: dockr',
        '    health-check: htpp',
        '    switch: yes please',
        '    keep-versions: three',
        ''
      ].join('\n')
    )
    expect(error.message).toContain(
      '/defaults/deploy/provider: expected one of script, nginx, docker, compose, kubernetes (did you mean `docker`?) (line 4, column 15)'
    )
    expect(error.message).toContain(
      '/defaults/deploy/health-check: expected one of auto, http, tcp, command, none (did you mean `http`?) (line 5, column 19)'
    )
    expect(error.message).toContain(
      '/defaults/deploy/switch: expected true or false (line 6, column 13)'
    )
    expect(error.message).toContain(
      '/defaults/deploy/keep-versions: expected a whole number (line 7, column 20)'
    )
  })

  test('what the readers accept, the schema accepts', () => {
    const file = join(tempDir('config'), 'slipway.yml')
    writeFileSync(
      file,
      [
        'version: 1',
        'defaults:',
        '  deploy:',
        '    strategy: blue-green',
        '    health-timeout: 30', // a bare number is seconds
        '    hook-timeout: 1h30m',
        '    health-interval: 250ms',
        '    keep-versions: 3',
        '    switch: True',
        '    dry-run: "false"',
        '  release:',
        '    make-latest: false', // a YAML boolean, whose text is the enum's `false`
        ''
      ].join('\n')
    )
    expect(() => loadConfigFile(file, schema)).not.toThrow()
  })
})

describe('slipway.schema.json for editors', () => {
  test('enums for strategy, router, provider and health-check', () => {
    expect(deploy.strategy.enum).toEqual(['blue-green', 'canary', 'rolling'])
    expect(deploy.router.enum).toEqual(['provider', 'haproxy', 'nginx'])
    expect(deploy.provider.enum).toEqual(['script', 'nginx', 'docker', 'compose', 'kubernetes'])
    expect(deploy['health-check'].enum).toEqual(['auto', 'http', 'tcp', 'command', 'none'])
    expect(schema.definitions.rollback.properties.provider.enum).toEqual(deploy.provider.enum)
  })

  test('a pattern for durations, with the form the YAML language server shows', () => {
    for (const input of ['health-timeout', 'health-interval', 'hook-timeout', 'keep-previous']) {
      expect(deploy[input].pattern).toBe(DURATION_PATTERN)
      expect(deploy[input].patternErrorMessage).toBe('a duration such as 30s, 5m or 1h30m')
    }
  })

  test('the duration pattern accepts exactly what the duration reader accepts', () => {
    const samples = [
      '30s',
      '5m',
      '1h30m',
      '250ms',
      '1.5h',
      '2d',
      '30',
      '0',
      ' 45s ',
      '1h 30m',
      '10 sec',
      '10sec',
      's',
      '',
      '-5s',
      '5',
      '1.5',
      '.5s',
      '5.s',
      '1m30',
      '30S',
      'ms',
      '5ms5',
      'h1'
    ]
    const pattern = new RegExp(DURATION_PATTERN)
    for (const sample of samples) {
      const reader = new Inputs(() => sample)
      let accepted: boolean
      try {
        accepted = reader.duration('timeout') !== undefined
      } catch {
        accepted = false
      }
      // Blank is "not given" to the reader; the schema has no such value to check.
      if (sample.trim() === '') continue
      expect([sample, pattern.test(sample)]).toEqual([sample, accepted])
      expect([sample, parseDuration(sample) !== undefined]).toEqual([sample, accepted])
    }
  })

  test('an editor validating with the schema flags the same values', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    expect(validate({ version: 1, defaults: { deploy: { strategy: 'bluegreen' } } })).toBe(false)
    expect(validate({ version: 1, defaults: { deploy: { 'health-timeout': '10 sec' } } })).toBe(
      false
    )
    expect(validate({ version: 1, defaults: { deploy: { 'health-timeout': -1 } } })).toBe(false)
    expect(validate({ version: 1, defaults: { deploy: { targets: ['a', 'b'] } } })).toBe(true)
  })
})
