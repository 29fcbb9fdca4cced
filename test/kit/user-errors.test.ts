import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  BUG_REPORT_REQUEST,
  CommandError,
  InputError,
  LocalHost,
  MissingProgramError,
  UserError,
  runChecked
} from '@slipway/kit'
import { tempDir } from '../helpers/temp-dir.js'

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

describe('a path on this machine the user named', () => {
  const dir = tempDir('user-errors')
  const failureOf = (work: Promise<unknown>): Promise<unknown> =>
    work.then(
      () => undefined,
      (thrown: unknown) => thrown
    )

  it('a file that is not there to copy: check the path', async () => {
    const error = await failureOf(
      new LocalHost().putFile(join(dir, 'absent.tgz'), join(dir, 'copy.tgz'))
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toMatch(/^ENOENT/)
    expect((error as UserError).hint).toMatch(/does not exist/)
  })

  it('a directory that is a file: say which', async () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    const error = await failureOf(new LocalHost().writeFile(join(file, 'state.json'), '{}'))
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).hint).toMatch(/a part of it is a file/)
  })
})
