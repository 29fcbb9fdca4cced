import { describe, expect, it } from '@jest/globals'
import {
  BUG_REPORT_REQUEST,
  CommandError,
  InputError,
  MissingProgramError,
  UserError,
  runChecked
} from '@slipway/kit'

// What is the user's to fix, and says what to do; what is not, asks for a bug report.

describe('a program missing on the runner', () => {
  it('is a UserError that says what to install', async () => {
    const error = await runChecked('slipway-no-such-program', ['--version']).then(
      () => undefined,
      (thrown: unknown) => thrown
    )
    expect(error).toBeInstanceOf(MissingProgramError)
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toContain('slipway-no-such-program')
    expect((error as UserError).hint).toMatch(/^install `slipway-no-such-program` on the runner/)
  })

  it('while a program that runs and fails stays a CommandError, not the user’s', async () => {
    const error = await runChecked('bash', ['-c', 'exit 4']).then(
      () => undefined,
      (thrown: unknown) => thrown
    )
    expect(error).toBeInstanceOf(CommandError)
    expect(error).not.toBeInstanceOf(UserError)
  })
})

it('an InputError carries a hint when it is given one', () => {
  const error = new InputError('config-file', 'a readable YAML file', 'x.yml', 'commit the file.')
  expect(error).toBeInstanceOf(UserError)
  expect(error.message).toBe(`Input 'config-file': expected a readable YAML file, got "x.yml"`)
  expect(error.hint).toBe('commit the file.')
})

it('the bug report request says whose bug it is and where to report it', () => {
  expect(BUG_REPORT_REQUEST).toMatch(/^This is a bug in Slipway/)
  expect(BUG_REPORT_REQUEST).toContain('https://github.com/slipway-dev/slipway/issues')
})
