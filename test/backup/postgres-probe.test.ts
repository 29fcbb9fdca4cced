// pg_dump's own connection is the probe: a backup starts pg_dump without a psql probe first. A
// source it cannot reach must still fail with the probe's InputError and leave nothing in the
// store, and a good backup must still record the server's version (read from the archive header).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { InputError } from '@slipway/kit'
import { backup, dirStore, type CompressionChoice } from '@slipway/backup'
import { startPostgres, type PostgresServer } from '../services/postgres.js'

let pg: PostgresServer
let root: string

beforeAll(async () => {
  pg = await startPostgres()
  await pg.createDatabase('app')
  await pg.sql(
    'create table t (id int primary key); insert into t select generate_series(1, 100)',
    'app'
  )
  root = mkdtempSync(join(tmpdir(), 'slipway-backup-probe-'))
}, 120_000)

afterAll(async () => {
  await pg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('a postgres backup probing beside its dump', () => {
  it.each([
    ['a wrong password', () => pg.url('app').replace(`:${pg.password}@`, ':not-the-password@')],
    ['a database that does not exist', () => pg.url('missing')],
    ['a closed port', () => `postgres://postgres:${pg.password}@127.0.0.1:1/app`]
  ])(
    '%s is the probe’s InputError naming database-url, and the store stays empty',
    async (_, url) => {
      const dir = join(root, `store-${Math.random().toString(36).slice(2)}`)
      const attempt = backup({ source: { url: url() }, store: dirStore(dir) })
      await expect(attempt).rejects.toThrow(InputError)
      await expect(attempt).rejects.toThrow(
        /^Input 'database-url': expected a reachable PostgreSQL database, got "postgres:\/\/postgres:\*\*\*@/
      )
      await attempt.catch(error => expect(String(error.message)).not.toContain(pg.password))
      // The dump may have started: its staged file is removed with the failure.
      let left: string[] = []
      try {
        left = readdirSync(dir)
      } catch {
        // never created
      }
      expect(left).toEqual([])
    }
  )

  it.each<CompressionChoice>(['zstd', 'gzip', 'none'])(
    'a %s backup runs no psql nor version query: the versions come from the dump (and zstd’s banner)',
    async compression => {
      // psql, pg_dump and pg_restore on PATH as wrappers that note each psql call and each
      // version query: the backup must need none of them.
      const shims = join(root, `shims-${compression}`)
      const calls = join(shims, 'calls')
      mkdirSync(shims)
      const shim = (program: string, when: string): void => {
        const real = execFileSync('sh', ['-c', `command -v ${program}`], {
          encoding: 'utf8'
        }).trim()
        writeFileSync(
          join(shims, program),
          `#!/bin/sh\n${when} && echo "called ${program} $*" >> '${calls}'\nexec '${real}' "$@"\n`
        )
        chmodSync(join(shims, program), 0o755)
      }
      shim('psql', 'true')
      shim('pg_dump', '[ "$1" = --version ]')
      shim('pg_restore', '[ "$1" = --version ]')
      shim('zstd', '[ "$1" = -V ]')
      const env = { ...process.env, PATH: `${shims}:${process.env.PATH}` }
      const { manifest } = await backup({
        source: { url: pg.url('app') },
        store: dirStore(join(root, `ok-${compression}`)),
        compression,
        env
      })
      expect(manifest!.serverVersion).toBe(await pg.sql('show server_version', 'app'))
      expect(manifest!.tools.pg_dump).toBe(
        execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }).trim()
      )
      if (compression === 'zstd')
        expect(manifest!.tools.zstd).toBe(
          execFileSync('zstd', ['-V'], { encoding: 'utf8' })
            .trim()
            .replace(/^\*+ | \*+$/g, '')
        )
      expect(manifest!.size).toBeGreaterThan(0)
      expect(existsSync(calls) ? readFileSync(calls, 'utf8') : '').toBe('')
      // The shim works: a failed dump asks psql why.
      await expect(
        backup({ source: { url: pg.url('missing') }, store: dirStore(join(root, 'no')), env })
      ).rejects.toThrow(InputError)
      expect(readFileSync(calls, 'utf8')).toContain('called')
    }
  )

  it("passes over Debian's pg_wrapper: the wrapper on PATH never starts", async () => {
    // postgresql-common's layout on PATH, its pg_wrapper noting each start before running the
    // real client: the driver starts /usr/lib/postgresql/<newest>/bin/<program> itself.
    const shims = join(root, 'shims-wrapper')
    const calls = join(shims, 'calls')
    const wrapper = join(shims, 'share', 'postgresql-common', 'pg_wrapper')
    mkdirSync(dirname(wrapper), { recursive: true })
    mkdirSync(join(shims, 'bin'))
    writeFileSync(
      wrapper,
      `#!/bin/sh\necho "$(basename "$0") $*" >> '${calls}'\nexec "/usr/bin/$(basename "$0")" "$@"\n`
    )
    chmodSync(wrapper, 0o755)
    for (const program of ['pg_dump', 'pg_restore', 'psql'])
      symlinkSync('../share/postgresql-common/pg_wrapper', join(shims, 'bin', program))
    const env = { ...process.env, PATH: `${join(shims, 'bin')}:${process.env.PATH}` }
    const { manifest, verify } = await backup({
      source: { url: pg.url('app') },
      store: dirStore(join(root, 'wrapper')),
      verify: true,
      env
    })
    expect(verify?.ok).toBe(true)
    expect(manifest!.tools.pg_dump).toBe(
      execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }).trim()
    )
    expect(existsSync(calls) ? readFileSync(calls, 'utf8') : '').toBe('')
  })

  it('a store that cannot stage the file: its error, and the dump started before it has stopped', async () => {
    // pg_dump starts first (its catalog queries overlap the set-up); a pg_dump on PATH that
    // notes its pid shows it is not left running when the store fails.
    const shims = join(root, 'shims-stage')
    const pidFile = join(shims, 'pid')
    mkdirSync(shims)
    const real = execFileSync('sh', ['-c', 'command -v pg_dump'], { encoding: 'utf8' }).trim()
    writeFileSync(
      join(shims, 'pg_dump'),
      `#!/bin/sh\necho $$ > '${pidFile}'\nexec '${real}' "$@"\n`
    )
    chmodSync(join(shims, 'pg_dump'), 0o755)
    // More than a pipe holds: a pg_dump nobody reads would wait on its pipe, not exit.
    await pg.createDatabase('unstageable')
    await pg.sql(
      'create table t as select g as id, repeat(md5(g::text), 4) as pad from generate_series(1, 100000) g',
      'unstageable'
    )
    const store = dirStore(join(root, 'unstageable'))
    const attempt = backup({
      source: { url: pg.url('unstageable') },
      store: { ...store, stage: async () => Promise.reject(new Error('no space left on device')) },
      env: { ...process.env, PATH: `${shims}:${process.env.PATH}` }
    })
    await expect(attempt).rejects.toThrow('no space left on device')
    const pid = Number(readFileSync(pidFile, 'utf8'))
    expect(() => process.kill(pid, 0)).toThrow()
  })

  it('a dump whose header does not name the version: the probe is asked after it', async () => {
    // A pg_dump on PATH that writes bytes that are no custom archive (and succeeds).
    const shims = join(root, 'shims-noheader')
    mkdirSync(shims)
    writeFileSync(join(shims, 'pg_dump'), '#!/bin/sh\nhead -c 100000 /dev/zero\n')
    chmodSync(join(shims, 'pg_dump'), 0o755)
    const { manifest } = await backup({
      source: { url: pg.url('app') },
      store: dirStore(join(root, 'noheader')),
      compression: 'zstd',
      env: { ...process.env, PATH: `${shims}:${process.env.PATH}` }
    })
    expect(manifest!.serverVersion).toBe(await pg.sql('show server_version', 'app'))
  })
})
