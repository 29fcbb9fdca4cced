import type { Connection } from '../types.js'
import type { Driver, DriverContext } from './driver.js'
import { filesDriver } from './files.js'
import { mysqlDriver } from './mysql.js'
import { postgresDriver } from './postgres.js'
import { sqliteDriver } from './sqlite.js'

export type { Driver, DriverContext, DumpStream } from './driver.js'

export function createDriver(connection: Connection, context: DriverContext): Driver {
  switch (connection.engine) {
    case 'postgres':
      return postgresDriver(connection, context)
    case 'mysql':
    case 'mariadb':
      return mysqlDriver(connection, context)
    case 'sqlite':
      return sqliteDriver(connection, context)
    case 'files':
      return filesDriver(connection, context)
  }
}
