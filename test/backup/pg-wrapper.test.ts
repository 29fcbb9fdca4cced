// Debian's and Ubuntu's pg_wrapper is passed over only where its choice is certain: PGHOST set,
// the program on PATH being the wrapper, and then the newest installed version with the program.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { resolvePgProgram } from '../../packages/backup/src/engines/pg-wrapper.js'

let root: string
let binroot: string
let wrapped: string
let plain: string

const executable = (path: string): void => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, '#!/bin/sh\nexit 0\n')
  chmodSync(path, 0o755)
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-pg-wrapper-'))
  binroot = join(root, 'lib', 'postgresql')
  // The layout postgresql-common installs: bin/pg_dump → ../share/postgresql-common/pg_wrapper.
  executable(join(root, 'share', 'postgresql-common', 'pg_wrapper'))
  wrapped = join(root, 'bin')
  mkdirSync(wrapped)
  symlinkSync('../share/postgresql-common/pg_wrapper', join(wrapped, 'pg_dump'))
  for (const version of ['9.6', '13', '16']) executable(join(binroot, version, 'bin', 'pg_dump'))
  mkdirSync(join(binroot, '17', 'bin'), { recursive: true }) // a version without pg_dump
  executable(join(binroot, 'dev', 'bin', 'pg_dump')) // not a version name
  plain = join(root, 'plain')
  executable(join(plain, 'pg_dump'))
})

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('resolvePgProgram', () => {
  it('starts the newest version that has the program, with the PGSYSCONFDIR the wrapper sets', () => {
    expect(resolvePgProgram('pg_dump', { PATH: wrapped, PGHOST: 'db' }, binroot)).toEqual({
      command: join(binroot, '16', 'bin', 'pg_dump'),
      env: { PGSYSCONFDIR: '/etc/postgresql-common' }
    })
  })

  it('keeps a PGSYSCONFDIR the environment already has', () => {
    const resolved = resolvePgProgram(
      'pg_dump',
      { PATH: wrapped, PGHOST: 'db', PGSYSCONFDIR: '/etc/mine' },
      binroot
    )
    expect(resolved).toEqual({ command: join(binroot, '16', 'bin', 'pg_dump'), env: {} })
  })

  it.each([
    ['without PGHOST (the wrapper reads PGCLUSTER and the cluster map)', () => ({ PATH: wrapped })],
    [
      'when PATH finds a program that is not the wrapper first',
      () => ({ PATH: `${plain}:${wrapped}`, PGHOST: 'db' })
    ],
    ['when PATH finds no such program', () => ({ PATH: join(root, 'empty'), PGHOST: 'db' })]
  ])('leaves the program to PATH %s', (_, env) => {
    expect(resolvePgProgram('pg_dump', env(), binroot)).toEqual({ command: 'pg_dump', env: {} })
  })

  it('leaves the program to the wrapper when no version has it', () => {
    expect(
      resolvePgProgram('pg_dump', { PATH: wrapped, PGHOST: 'db' }, join(root, 'none'))
    ).toEqual({ command: 'pg_dump', env: {} })
  })

  it("picks what this machine's pg_wrapper itself runs, when it has one", () => {
    const env = { PATH: process.env.PATH, PGHOST: '127.0.0.1' }
    const { command } = resolvePgProgram('pg_dump', env)
    const onPath = execFileSync('sh', ['-c', 'command -v pg_dump'], { encoding: 'utf8' }).trim()
    if (realpathSync(onPath).endsWith('/postgresql-common/pg_wrapper'))
      expect(command).toMatch(/^\/usr\/lib\/postgresql\/[\d.]+\/bin\/pg_dump$/)
    const version = (program: string) =>
      execFileSync(program, ['--version'], { env, encoding: 'utf8' }).trim()
    expect(version(command)).toBe(version('pg_dump'))
  })
})
