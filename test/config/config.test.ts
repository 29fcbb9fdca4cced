import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildConfigSchema,
  layeredInputs,
  loadConfigFile,
  sectionInputs,
  stageSection
} from '@slipway/config'
import { Inputs, InputError } from '@slipway/kit'
import { tempDir } from '../helpers/temp-dir.js'

const schema = buildConfigSchema({
  deploy: {
    inputs: {
      strategy: { description: 'Strategy', default: 'blue-green' },
      steps: { description: 'Canary steps' },
      token: { description: 'GitHub token' }
    }
  },
  smoke: { inputs: { url: { description: 'URL' }, checks: { description: 'Checks' } } }
})

function writeConfig(text: string): string {
  const file = join(tempDir('config'), 'slipway.yml')
  writeFileSync(file, text)
  return file
}

const example = `
version: 1
defaults:
  deploy: { strategy: blue-green }
  smoke: { url: https://staging.example.test/health }
environments:
  production:
    deploy:
      strategy: canary
      steps: [5, 25, 100]
    smoke:
      checks:
        - name: home
          url: /
`

describe('config file', () => {
  it('merges an environment over the defaults', () => {
    const config = loadConfigFile(writeConfig(example), schema)
    expect(stageSection(config, 'production', 'deploy')).toEqual({
      strategy: 'canary',
      steps: [5, 25, 100]
    })
    expect(stageSection(config, 'production', 'smoke').url).toBe(
      'https://staging.example.test/health'
    )
  })

  it('turns lists and maps into the YAML text an input would hold', () => {
    const config = loadConfigFile(writeConfig(example), schema)
    const inputs = new Inputs(sectionInputs(stageSection(config, 'production', 'smoke')))
    expect(inputs.yaml('checks')).toEqual([{ name: 'home', url: '/' }])
    expect(
      new Inputs(sectionInputs(stageSection(config, 'production', 'deploy'))).list('steps')
    ).toEqual(['5', '25', '100'])
  })

  it('lets explicit inputs win over the file', () => {
    const config = loadConfigFile(writeConfig(example), schema)
    const explicit = (name: string): string | undefined =>
      ({ strategy: 'rolling', steps: '  ' })[name]
    const inputs = new Inputs(
      layeredInputs(explicit, sectionInputs(stageSection(config, 'production', 'deploy')))
    )
    expect(inputs.string('strategy')).toBe('rolling')
    expect(inputs.list('steps')).toEqual(['5', '25', '100'])
  })

  it('rejects unknown keys with their path', () => {
    const file = writeConfig(
      'version: 1\nenvironments:\n  staging:\n    deploy:\n      stratgy: canary\n'
    )
    expect(() => loadConfigFile(file, schema)).toThrow(
      /Input 'config-file': expected a file matching slipway.schema.json \(\/environments\/staging\/deploy: unknown key 'stratgy' \(line 5, column 7\)\)/
    )
  })

  it('never quotes the file: a pasted secret as a key, an environment name or an alias is not echoed', () => {
    const cases = [
      // A token pasted where a key goes.
      'version: 1\ndefaults:\n  deploy:\n    ghp_SECRET1234567890: x\n',
      // A secret-looking environment name, with an invalid section below it.
      'version: 1\nenvironments:\n  "ghp SECRET1234567890":\n    deploy: 5\n',
      // The YAML parser quotes an unresolved alias.
      'version: 1\ndefaults:\n  deploy:\n    strategy: *ghp_SECRET1234567890\n',
      // A wrong version value.
      'version: ghp_SECRET1234567890\n'
    ]
    for (const text of cases) {
      let message = ''
      try {
        loadConfigFile(writeConfig(text), schema)
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toMatch(/^Input 'config-file': expected (a file matching|valid YAML)/)
      expect(message).not.toContain('SECRET')
    }
  })

  it('names the path, the line and the expected form instead', () => {
    const unknown = () =>
      loadConfigFile(
        writeConfig('version: 1\ndefaults:\n  deploy:\n    ghp_SECRET1234567890: x\n'),
        schema
      )
    expect(unknown).toThrow(
      /\/defaults\/deploy: an unknown key that is not an input name \(line 4, column 5\)/
    )
    const badName = () =>
      loadConfigFile(
        writeConfig('version: 1\nenvironments:\n  "ghp SECRET":\n    deploy: {}\n'),
        schema
      )
    expect(badName).toThrow(
      /\/environments: names must be letters, digits, '_', '.' or '-' \(line 3, column 3\)/
    )
    const alias = () =>
      loadConfigFile(
        writeConfig('version: 1\ndefaults:\n  deploy:\n    strategy: *ghp_SECRET\n'),
        schema
      )
    expect(alias).toThrow(
      /expected valid YAML \(Unresolved alias \(the anchor must be set before the alias\)/
    )
    const type = () =>
      loadConfigFile(writeConfig('version: 1\ndefaults:\n  deploy: ghp_SECRET\n'), schema)
    expect(type).toThrow(/\/defaults\/deploy: must be object \(line 3, column 11\)/)
  })

  it('keeps run-only inputs such as tokens out of files', () => {
    const file = writeConfig('version: 1\ndefaults:\n  deploy:\n    token: ghp_abc\n')
    expect(() => loadConfigFile(file, schema)).toThrow(/unknown key 'token'/)
  })

  it('refuses an environment the file does not define', () => {
    const config = loadConfigFile(writeConfig(example), schema)
    expect(() => stageSection(config, 'prod', 'deploy')).toThrow(InputError)
    expect(() => stageSection(config, 'prod', 'deploy')).toThrow(
      `Input 'environment': expected one of the environments in the config file (production), got "prod"`
    )
  })

  it('reports unreadable and malformed files', () => {
    expect(() => loadConfigFile('/nonexistent/slipway.yml', schema)).toThrow(
      /expected a readable YAML file, got .*ENOENT/
    )
    expect(() => loadConfigFile(writeConfig('version: [1'), schema)).toThrow(/expected valid YAML/)
    expect(() => loadConfigFile(writeConfig('defaults: {}'), schema)).toThrow(
      /must have required property 'version'/
    )
  })
})
