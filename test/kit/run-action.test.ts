import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { InputError, UserError, runAction } from '@slipway/kit'

// @actions/core speaks to the runner through stdout (`::error::…` commands, plain log lines):
// the test reads what the runner would read.
let written: string[] = []
const realWrite = process.stdout.write.bind(process.stdout)
const savedDebug = process.env.RUNNER_DEBUG

beforeEach(() => {
  written = []
  delete process.env.RUNNER_DEBUG
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  }) as typeof process.stdout.write
})

afterEach(() => {
  process.stdout.write = realWrite
  // setFailed marks the process failed; the test process itself did not fail.
  process.exitCode = undefined
  if (savedDebug === undefined) delete process.env.RUNNER_DEBUG
  else process.env.RUNNER_DEBUG = savedDebug
})

const SECRET = 'ghs_s3cr3tToken1234'

function lines(): string[] {
  return written.join('').split(/\r?\n/)
}

/** Everything but the runner's `::add-mask::` command, which must carry the secret itself. */
function shown(): string {
  return lines()
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
}

function annotations(): string[] {
  return lines().filter(line => line.startsWith('::error'))
}

async function failWith(error: unknown): Promise<void> {
  await runAction('deploy-strategy', async ({ secret }) => {
    secret(SECRET)
    throw error
  })
}

describe('runAction: a UserError', () => {
  it('fails the step with one annotation, and the hint as one log line, both redacted', async () => {
    await failWith(
      new UserError(
        `GitHub refused the token ${SECRET}`,
        `grant \`deployments: write\` to the job, not ${SECRET}`
      )
    )
    expect(process.exitCode).toBe(1)
    expect(annotations()).toEqual(['::error::deploy-strategy failed: GitHub refused the token ***'])
    expect(lines()).toContain('To fix: grant `deployments: write` to the job, not ***')
    expect(shown()).not.toContain(SECRET)
  })

  it('prints no stack and no request to report a bug', async () => {
    await failWith(new UserError('the checkout is shallow', 'use fetch-depth: 0'))
    const log = written.join('')
    expect(log).not.toMatch(/\n\s+at /)
    expect(log).not.toContain('bug in Slipway')
  })

  it('an InputError reads as before, and has no hint line', async () => {
    await failWith(new InputError('strategy', 'one of canary, blue-green', 'sideways'))
    expect(annotations()).toEqual([
      `::error::deploy-strategy failed: Input 'strategy': expected one of canary, blue-green, got "sideways"`
    ])
    expect(written.join('')).not.toContain('To fix:')
  })
})

describe('runAction: anything else is a bug', () => {
  it('fails the step with the same annotation, then the redacted stack and a request to report it', async () => {
    await failWith(new TypeError(`cannot read slot of undefined near ${SECRET}`))
    expect(process.exitCode).toBe(1)
    expect(annotations()).toEqual([
      '::error::deploy-strategy failed: cannot read slot of undefined near ***'
    ])
    const log = lines()
    const stackStart = log.indexOf('TypeError: cannot read slot of undefined near ***')
    expect(stackStart).toBeGreaterThanOrEqual(0)
    expect(log[stackStart + 1]).toMatch(/^\s+at /)
    expect(log.some(line => line.includes('bug in Slipway') && line.includes('/issues'))).toBe(true)
    expect(shown()).not.toContain(SECRET)
  })

  it('prints the stack without RUNNER_DEBUG, as a log line rather than a debug one', async () => {
    await failWith(new Error('impossible state'))
    expect(lines()).toContain('Error: impossible state')
    expect(written.join('')).not.toContain('::debug::')
  })

  it('reports a thrown non-Error by its text', async () => {
    await failWith('a string')
    expect(annotations()).toEqual(['::error::deploy-strategy failed: a string'])
    expect(lines()).toContain('thrown: a string')
  })
})
