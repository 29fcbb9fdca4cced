import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { startPostgres } from '../services/postgres.js'
import { startMariadb } from '../services/mariadb.js'

/** Exit code and output of a client program (never throws). */
function client(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {}
): Promise<{ code: number; out: string }> {
  return new Promise(resolve => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` })
    )
  })
}

describe('test services', () => {
  it('start postgres and mariadb on loopback with password logins over TCP, and remove them on stop', async () => {
    const [pg, maria] = await Promise.all([startPostgres(), startMariadb()])
    try {
      expect(await pg.sql('select 40 + 2')).toBe('42')
      expect(await maria.sql('select 40 + 2')).toBe('42')
      expect(await pg.sql('show listen_addresses')).toBe('127.0.0.1')
      // The password is what lets a TCP client in: the tests' secret checks rely on it.
      const good = await client('psql', ['-X', '-At', '-c', 'select current_user'], pg.env())
      expect(good).toEqual({ code: 0, out: 'postgres\n' })
      const bad = await client('psql', ['-X', '-At', '-c', 'select 1'], {
        ...pg.env(),
        PGPASSWORD: 'wrong'
      })
      expect(bad.out).toMatch(/password authentication failed/)
      const tcp = [
        '--no-defaults',
        '-h',
        '127.0.0.1',
        '-P',
        String(maria.port),
        '-u',
        maria.user,
        '-N',
        '-e',
        'select 1'
      ]
      expect((await client('mariadb', [...tcp, `-p${maria.password}`])).out.trim()).toBe('1')
      expect((await client('mariadb', [...tcp, '-pwrong'])).out).toMatch(/Access denied/)
    } finally {
      await Promise.all([pg.stop(), maria.stop()])
    }
    expect(existsSync(pg.dataDir)).toBe(false)
    expect(existsSync(maria.dataDir)).toBe(false)
  }, 120_000)
})
