import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, dirStore } from '@slipway/backup'

// Stand-in client programs that record how they were called (argv, the password variables,
// the option file's mode and content) and then behave like the real ones just enough.
let root: string
let bin: string
const PASSWORD = 'Sup3r-s3cret-pw!'
const record = (name: string, body: string): void => {
  const path = join(bin, name)
  writeFileSync(
    path,
    `#!/bin/bash
{ printf 'argv:'; printf ' [%s]' "$@"; echo; echo "PGPASSWORD=\${PGPASSWORD-unset} MYSQL_PWD=\${MYSQL_PWD-unset}"
  for a in "$@"; do case "$a" in --defaults-extra-file=*) f="\${a#*=}"; echo "mode=$(stat -c %a "$f")"; cat "$f";; esac; done
} >> "${root}/calls.log"
${body}
`
  )
  chmodSync(path, 0o755)
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-backup-creds-'))
  bin = join(root, 'bin')
  mkdirSync(bin)
  record('psql', 'echo 15.4')
  record(
    'pg_dump',
    'if [ "$1" = --version ]; then echo "pg_dump (PostgreSQL) 15.4"; else echo PGDMP-fake-archive; fi'
  )
  record('pg_restore', 'echo "pg_restore (PostgreSQL) 15.4"')
  record('mysql', 'if [ "$1" = --version ]; then echo "mysql Ver 8"; else echo 8.0.36; fi')
  record(
    'mysqldump',
    'if [ "$1" = --version ]; then echo "mysqldump Ver 8"; else echo "-- MySQL dump"; fi'
  )
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('credentials reach client programs only through the environment or an option file', () => {
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    MYSQL_PWD: 'leaked-env-pw'
  })

  it('postgres: PGPASSWORD, never argv', async () => {
    rmSync(join(root, 'calls.log'), { force: true })
    const { manifest } = await backup({
      source: { url: `postgres://app:${encodeURIComponent(PASSWORD)}@db.internal:5433/app` },
      store: dirStore(join(root, 'store')),
      compression: 'gzip',
      env: env()
    })
    expect(manifest!.tools.pg_dump).toBe('pg_dump (PostgreSQL) 15.4')
    const calls = readFileSync(join(root, 'calls.log'), 'utf8')
    const argv = calls.split('\n').filter(line => line.startsWith('argv:'))
    expect(argv.some(line => line.includes('[--format=custom]'))).toBe(true)
    expect(argv.join('\n')).not.toContain(PASSWORD)
    expect(argv.join('\n')).not.toContain('db.internal') // host and port travel as PGHOST/PGPORT too
    expect(calls).toContain(`PGPASSWORD=${PASSWORD}`)
  })

  it('mysql: a 0600 --defaults-extra-file (deleted afterwards), never argv, MYSQL_PWD cleared', async () => {
    rmSync(join(root, 'calls.log'), { force: true })
    await backup({
      source: { url: `mysql://app:${encodeURIComponent(PASSWORD)}@db.internal:3307/shop` },
      store: dirStore(join(root, 'store')),
      compression: 'gzip',
      env: env()
    })
    const calls = readFileSync(join(root, 'calls.log'), 'utf8')
    const argv = calls.split('\n').filter(line => line.startsWith('argv:'))
    expect(argv.join('\n')).not.toContain(PASSWORD)
    expect(argv.some(line => line.includes('[--single-transaction]'))).toBe(true)
    expect(calls).toContain('mode=600')
    expect(calls).toContain(`password="${PASSWORD}"`)
    expect(calls).toContain('MYSQL_PWD=unset')
    expect(calls).not.toContain('leaked-env-pw')
    const file = /--defaults-extra-file=([^\]]+)\]/.exec(argv[0])![1]
    expect(() => readFileSync(file)).toThrow(/ENOENT/)
  })
})
