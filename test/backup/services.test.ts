import { describe, expect, it } from '@jest/globals'
import { startPostgres } from '../services/postgres.js'
import { startMariadb } from '../services/mariadb.js'

describe('test services', () => {
  it('starts and stops postgres and mariadb', async () => {
    const [pg, maria] = await Promise.all([startPostgres(), startMariadb()])
    try {
      expect(await pg.sql('select 40 + 2')).toBe('42')
      expect(await maria.sql('select 40 + 2')).toBe('42')
    } finally {
      await Promise.all([pg.stop(), maria.stop()])
    }
  }, 120_000)
})
