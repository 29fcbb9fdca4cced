import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildConfigSchema, loadConfigFile, stageSection } from '@slipway/config'
import { UserError } from '@slipway/kit'
import { tempDir } from '../helpers/temp-dir.js'

// A config file the user got wrong is theirs to fix: a UserError whose hint says what to do,
// never a bug report with a stack.

const schema = buildConfigSchema({
  deploy: { inputs: { strategy: { description: 'Strategy', default: 'blue-green' } } }
})

function writeConfig(text: string): string {
  const file = join(tempDir('config'), 'slipway.yml')
  writeFileSync(file, text)
  return file
}

/** What loading the file (or reading a section of it) threw. */
function failureOf(load: () => unknown): UserError {
  try {
    load()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a failure')
}

describe('config file problems the user fixes', () => {
  it('a file that is not there: the hint says where the path is read from', () => {
    const missing = join(tempDir('config'), 'absent.yml')
    const error = failureOf(() => loadConfigFile(missing, schema))
    expect(error.message).toContain('ENOENT')
    expect(error.hint).toMatch(/^give `config-file` the path of the config file/)
  })

  it('an unreadable file names the input that named it', () => {
    const dir = tempDir('config')
    // A directory cannot be read as a file, whoever runs the test (root reads any mode).
    const error = failureOf(() => loadConfigFile(dir, schema, 'rollback-config'))
    expect(error.message).toContain("Input 'rollback-config'")
    expect(error.hint).toContain('`rollback-config`')
  })

  it('YAML that does not parse: fix it where it is named', () => {
    const error = failureOf(() => loadConfigFile(writeConfig('version: 1\n  deploy: [\n'), schema))
    expect(error.hint).toMatch(/^fix the YAML at the line and column named/)
  })

  it('a key the schema does not know: fix the keys named', () => {
    const file = writeConfig('version: 1\ndefaults:\n  deploy: { stratgy: canary }\n')
    const error = failureOf(() => loadConfigFile(file, schema))
    expect(error.message).toContain("unknown key 'stratgy'")
    expect(error.hint).toMatch(/slipway\.schema\.json/)
  })

  it('an environment the file does not define: name one, or add it', () => {
    const config = loadConfigFile(
      writeConfig('version: 1\nenvironments:\n  staging:\n    deploy: { strategy: canary }\n'),
      schema
    )
    const error = failureOf(() => stageSection(config, 'prodution', 'deploy'))
    expect(error.hint).toContain('add "prodution" under `environments:`')
  })
})
