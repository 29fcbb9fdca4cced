import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describeFailure, InputError, onCleanup, run } from '@slipway/kit'
import { privateTempDir } from '../context.js'
import { findProgram, runWithInput, startProgram, toolVersion } from '../programs.js'
import type { Connection, TableFingerprint } from '../types.js'
import type { Driver, DriverContext } from './driver.js'

/** Option-file value: quoted, with the escapes MySQL/MariaDB option files understand. */
function optionValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

const quoteIdent = (name: string): string => `\`${name.replace(/`/g, '``')}\``
const literal = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
const qualified = (schema: string, name: string): string =>
  `${quoteIdent(schema)}.${quoteIdent(name)}`

/** A field of the client's batch output: tabs, newlines, NULs and backslashes come escaped. */
const unescapeField = (field: string): string =>
  field.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '0': '\0' })[c] ?? c)

/** What lives in a schema beside its tables, as `SHOW CREATE` gives it back. */
type ObjectKind = 'VIEW' | 'PROCEDURE' | 'FUNCTION' | 'EVENT' | 'TRIGGER'
interface SchemaObject {
  kind: ObjectKind
  name: string
  /** The statement that creates it (unqualified: it is run with the schema as default). */
  create: string
  sqlMode?: string
  timeZone?: string
  /** Triggers: the table they belong to. */
  table?: string
}

/**
 * The statements that recreate objects in the current schema: each dropped if it exists, then
 * created with the sql_mode (and an event's time zone) it was created with. Views are created
 * so that a view comes after the views it reads from.
 */
function recreate(objects: SchemaObject[]): string[] {
  const statements: string[] = []
  for (const object of orderViews(objects)) {
    const drop =
      object.kind === 'VIEW'
        ? `DROP VIEW IF EXISTS ${quoteIdent(object.name)}`
        : `DROP ${object.kind} IF EXISTS ${quoteIdent(object.name)}`
    statements.push(drop)
    if (object.sqlMode !== undefined)
      statements.push(`SET SESSION sql_mode = ${literal(object.sqlMode)}`)
    if (object.timeZone !== undefined)
      statements.push(`SET SESSION time_zone = ${literal(object.timeZone)}`)
    statements.push(object.create)
  }
  return statements
}

/** Views that read other views come after them (names are backquoted in SHOW CREATE VIEW). */
function orderViews(objects: SchemaObject[]): SchemaObject[] {
  const views = objects.filter(o => o.kind === 'VIEW')
  const ordered: SchemaObject[] = []
  const placed = new Set<string>()
  // Bounded: each round places at least one view, or the rest go in name order.
  for (let round = 0; round < views.length && ordered.length < views.length; round++) {
    const ready = views.filter(
      v =>
        !placed.has(v.name) &&
        views.every(
          other =>
            other === v || placed.has(other.name) || !v.create.includes(quoteIdent(other.name))
        )
    )
    const next = ready.length > 0 ? ready : views.filter(v => !placed.has(v.name))
    for (const view of next) {
      ordered.push(view)
      placed.add(view.name)
    }
  }
  return [...ordered, ...objects.filter(o => o.kind !== 'VIEW')]
}

/** A script for the client: `;;` ends a statement, so routine bodies may hold `;`. */
const script = (statements: string[]): string =>
  `DELIMITER ;;\n${statements.map(statement => `${statement};;\n`).join('')}DELIMITER ;\n`

/**
 * MySQL and MariaDB through their client programs. Credentials go into a `[client]` option
 * file (0600, in a 0700 temp dir under RUNNER_TEMP, removed by `close` and on cancellation)
 * passed as `--defaults-extra-file`: MYSQL_PWD is deprecated and a `-p` argument would be
 * visible in the process list.
 */
export function mysqlDriver(connection: Connection, context: DriverContext): Driver {
  const mariadb = connection.engine === 'mariadb'
  const client =
    (mariadb
      ? findProgram(['mariadb', 'mysql'], context.env)
      : findProgram(['mysql', 'mariadb'], context.env)) ?? 'mysql'
  const dumper =
    (mariadb
      ? findProgram(['mariadb-dump', 'mysqldump'], context.env)
      : findProgram(['mysqldump', 'mariadb-dump'], context.env)) ?? 'mysqldump'
  const database = connection.database!
  const writeOptionFile = (untilExit = false): { path: string; remove(): void } => {
    const dir = privateTempDir('slipway-my-', context.env, { untilExit })
    const lines = ['[client]']
    if (connection.user) lines.push(`user=${optionValue(connection.user)}`)
    if (connection.password !== undefined)
      lines.push(`password=${optionValue(connection.password)}`)
    if (connection.host) lines.push(`host=${optionValue(connection.host)}`)
    if (connection.port) lines.push(`port=${connection.port}`)
    if (connection.socket) lines.push(`socket=${optionValue(connection.socket)}`)
    if (connection.sslMode) lines.push(`ssl-mode=${optionValue(connection.sslMode)}`)
    writeFileSync(join(dir.path, 'client.cnf'), `${lines.join('\n')}\n`, { mode: 0o600 })
    return dir
  }
  let optionDir: { path: string; remove(): void } | undefined
  const optionFile = (): string => {
    optionDir ??= writeOptionFile()
    return join(optionDir.path, 'client.cnf')
  }
  // The deprecated variable must not reach the programs alongside the option file.
  const env = { MYSQL_PWD: undefined }
  const common = {
    env,
    baseEnv: context.env,
    redactor: context.redactor,
    timeoutMs: context.timeoutMs
  }

  /** Runs SQL (or a script on stdin); the batch output, one line per row. */
  const sql = async (
    query: string,
    db: string | null = database,
    options: { script?: string; ownCredentials?: boolean } = {}
  ): Promise<string> => {
    // A cancellation removes the shared option file, and any file registered as its cleanup,
    // while a cleanup may still need one: this one goes when the program exits (or at exit).
    const own = options.ownCredentials ? writeOptionFile(true) : undefined
    const result = await run(
      client,
      [
        `--defaults-extra-file=${own ? join(own.path, 'client.cnf') : optionFile()}`,
        '--connect-timeout=10',
        '--batch',
        '--skip-column-names',
        '--default-character-set=utf8mb4',
        ...(db ? ['--database', db] : []),
        ...(options.script === undefined ? ['-e', query] : [])
      ],
      { ...common, input: options.script, maxOutputBytes: 16 * 1024 * 1024 }
    ).finally(() => own?.remove())
    if (result.exitCode !== 0) throw new Error(describeFailure(result))
    return result.stdout.replace(/\n$/, '')
  }
  const rows = async (query: string, db: string | null = database): Promise<string[][]> =>
    (await sql(query, db))
      .split('\n')
      .filter(line => line !== '')
      .map(line => line.split('\t').map(unescapeField))

  /** Base tables (and MariaDB sequences, which move the same way) of a schema. */
  const tablesOf = async (schema: string): Promise<string[]> =>
    (
      await rows(
        `select table_name from information_schema.tables where table_schema = ${literal(schema)} and table_type in ('BASE TABLE', 'SEQUENCE') order by 1`,
        null
      )
    ).map(([name]) => name)

  /** Every view, routine, event and trigger of a schema, with the statement that creates it. */
  const objectsOf = async (schema: string): Promise<SchemaObject[]> => {
    const s = literal(schema)
    // Triggers in their firing order: recreated in that order, they keep it.
    const [others, triggers] = await Promise.all([
      rows(
        `select 'VIEW', table_name, null from information_schema.views where table_schema = ${s}
         union all select routine_type, routine_name, null from information_schema.routines where routine_schema = ${s}
         union all select 'EVENT', event_name, null from information_schema.events where event_schema = ${s}`,
        null
      ),
      rows(
        `select 'TRIGGER', trigger_name, event_object_table from information_schema.triggers where trigger_schema = ${s} order by event_object_table, action_timing, event_manipulation, action_order`,
        null
      )
    ])
    const listed = [...others, ...triggers]
    if (listed.length === 0) return []
    // One SHOW CREATE per object, in one client run; each answers with exactly one row.
    const shown = await rows(
      listed.map(([kind, name]) => `SHOW CREATE ${kind} ${quoteIdent(name)}`).join(';\n'),
      schema
    )
    if (shown.length !== listed.length)
      throw new Error(`could not read the definitions of the objects in ${schema}`)
    return listed.map(([kind, name, table], i) => {
      const row = shown[i]
      if (row.some(field => field === 'NULL') && kind !== 'EVENT')
        throw new Error(
          `the definition of ${kind.toLowerCase()} ${name} in ${schema} cannot be read (missing privilege?)`
        )
      const k = kind as ObjectKind
      if (k === 'VIEW')
        return { kind: k, name, create: row[1].replace(/^CREATE /, 'CREATE OR REPLACE ') }
      if (k === 'EVENT') return { kind: k, name, sqlMode: row[1], timeZone: row[2], create: row[3] }
      if (k === 'TRIGGER') return { kind: k, name, sqlMode: row[1], create: row[2], table }
      return { kind: k, name, sqlMode: row[1], create: row[2] }
    })
  }

  /**
   * Restores atomically for the tables: the dump is loaded into a scratch schema on the same
   * server (the target is untouched while the long part runs), then one RENAME TABLE moves the
   * target's replaced tables out and the restored ones in, and the views, routines, events and
   * triggers of the backup are recreated. If that last step fails, it is undone.
   */
  const restoreAtomically: Driver['restore'] = async input => {
    const id = process.getBuiltinModule('node:crypto').randomBytes(5).toString('hex')
    const scratch = `slipway_restore_${id}`
    const old = `slipway_old_${id}`
    // 'load': only the scratch schema exists. 'swap': the target may be changing. 'settled':
    // the target is whole again (restored, or as it was).
    let phase: 'load' | 'swap' | 'settled' = 'load'
    let undo: string | undefined
    // Each runs once, whether the normal path or a cancellation gets there first.
    let dropping: Promise<unknown> | undefined
    const dropScratch = (): Promise<unknown> =>
      (dropping ??= sql(
        `SET SESSION foreign_key_checks = 0; DROP DATABASE IF EXISTS ${quoteIdent(scratch)}; DROP DATABASE IF EXISTS ${quoteIdent(old)}`,
        null,
        { ownCredentials: true }
      ))
    let undoing: Promise<void> | undefined
    const undoSwap = (): Promise<void> =>
      (undoing ??= (async () => {
        if (undo) await sql('', null, { script: undo, ownCredentials: true })
        phase = 'settled'
      })())
    // Cancelled (SIGINT/SIGTERM) while loading: the scratch schema goes; while swapping: undone.
    const forget = onCleanup(async () => {
      if (phase === 'swap') await undoSwap()
      if (phase !== 'swap') await dropScratch()
    })
    try {
      const charset = await rows(
        `select default_character_set_name, default_collation_name from information_schema.schemata where schema_name = ${literal(database)}`,
        null
      )
      await sql(
        `CREATE DATABASE ${quoteIdent(scratch)}${charset.length ? ` CHARACTER SET ${charset[0][0]} COLLATE ${charset[0][1]}` : ''}`,
        null
      )
      context.log(`Loading the backup into the scratch schema ${scratch}`)
      await runWithInput(
        client,
        [
          `--defaults-extra-file=${optionFile()}`,
          '--batch',
          '--default-character-set=utf8mb4',
          '--database',
          scratch
        ],
        { ...common, label: client },
        input
      )
      const plan = await swapPlan(scratch)
      phase = 'swap'
      undo = plan.undo
      try {
        await sql('', null, { script: plan.swap })
        phase = 'settled'
      } catch (error) {
        await undoSwap().catch(undoError => {
          throw new Error(
            `${(error as Error).message}; undoing the swap failed too (${(undoError as Error).message}): the previous tables are kept in the schema ${old}`
          )
        })
        throw error
      }
      context.log(`Swapped ${plan.tables} table(s) into ${database} in one RENAME TABLE`)
    } finally {
      // Still registered while dropping: a cancellation now waits for this same drop.
      try {
        if (phase !== 'swap') await dropScratch()
      } finally {
        forget()
      }
    }
  }

  /**
   * The swap, and the script that undoes it, built once the backup is loaded into `scratch`.
   * Tables of the target that the backup does not hold are kept; a foreign key from one of
   * them to a replaced table would be left pointing at the old copy, so that is refused.
   */
  const swapPlan = async (
    scratch: string
  ): Promise<{ swap: string; undo: string; tables: number }> => {
    const old = scratch.replace(/^slipway_restore_/, 'slipway_old_')
    const [restored, existing, backupObjects, targetObjects] = await Promise.all([
      tablesOf(scratch),
      tablesOf(database),
      objectsOf(scratch),
      objectsOf(database)
    ])
    const replaced = existing.filter(table => restored.includes(table))
    if (replaced.length > 0) {
      const dangling = await rows(
        `select table_name, referenced_table_name from information_schema.referential_constraints where constraint_schema = ${literal(database)} and unique_constraint_schema = ${literal(database)} and referenced_table_name in (${replaced.map(literal).join(', ')}) and table_name not in (${restored.map(literal).join(', ')})`,
        null
      )
      if (dangling.length > 0)
        throw new Error(
          `the target ${database} has tables the backup does not hold with foreign keys to tables it replaces (${dangling.map(([t, r]) => `${t} → ${r}`).join(', ')}); drop them or restore into an empty database`
        )
    }
    const backupNames = new Set(
      backupObjects.map(o => `${o.kind === 'FUNCTION' ? 'PROCEDURE' : o.kind}:${o.name}`)
    )
    // Target objects the restore replaces: same kind and name, or triggers of replaced tables.
    const displaced = targetObjects.filter(
      o =>
        backupNames.has(`${o.kind === 'FUNCTION' ? 'PROCEDURE' : o.kind}:${o.name}`) ||
        (o.kind === 'TRIGGER' && replaced.includes(o.table!))
    )
    const dropTriggers = (schema: string, triggers: SchemaObject[]): string[] =>
      triggers
        .filter(o => o.kind === 'TRIGGER')
        .map(o => `DROP TRIGGER IF EXISTS ${qualified(schema, o.name)}`)
    const rename = (pairs: [string, string, string][]): string[] =>
      pairs.length === 0
        ? []
        : [
            `RENAME TABLE ${pairs.map(([from, to, table]) => `${qualified(from, table)} TO ${qualified(to, table)}`).join(', ')}`
          ]
    const preamble = [
      'SET SESSION lock_wait_timeout = 120',
      'SET SESSION foreign_key_checks = 0',
      `CREATE DATABASE IF NOT EXISTS ${quoteIdent(old)}`
    ]
    const dropDisplaced = displaced.map(o => {
      const kind = o.kind === 'VIEW' ? 'VIEW' : o.kind
      return `DROP ${kind} IF EXISTS ${qualified(database, o.name)}`
    })
    const swap = script([
      ...preamble,
      `CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)}`,
      // Tables with triggers cannot change schema: the triggers are recreated after the move.
      ...dropTriggers(scratch, backupObjects),
      ...dropTriggers(database, displaced),
      ...rename([
        ...replaced.map(t => [database, old, t] as [string, string, string]),
        ...restored.map(t => [scratch, database, t] as [string, string, string])
      ]),
      `USE ${quoteIdent(database)}`,
      ...dropDisplaced,
      ...recreate(backupObjects)
    ])
    // Undo, whatever point the swap reached: drop what the backup brought, move the tables
    // back if they moved (the RENAME is all or nothing), recreate what was displaced.
    const undo = script([
      ...preamble,
      `CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)}`,
      `USE ${quoteIdent(database)}`,
      ...backupObjects.map(o => `DROP ${o.kind} IF EXISTS ${qualified(database, o.name)}`),
      // The scratch schema had every restored table; empty, the RENAME happened.
      ...(restored.length > 0
        ? [
            `SET @moved = (select count(*) from information_schema.tables where table_schema = ${literal(scratch)} and table_type in ('BASE TABLE', 'SEQUENCE')) = 0`
          ]
        : []),
      ...undoRename(replaced, restored, scratch, old),
      ...recreate(displaced)
    ])
    return { swap, undo, tables: restored.length }
  }

  /** The reverse RENAME, run only if the forward one happened (a prepared statement under IF). */
  const undoRename = (
    replaced: string[],
    restored: string[],
    scratch: string,
    old: string
  ): string[] => {
    const pairs = [
      ...restored.map(t => `${qualified(database, t)} TO ${qualified(scratch, t)}`),
      ...replaced.map(t => `${qualified(old, t)} TO ${qualified(database, t)}`)
    ]
    if (pairs.length === 0) return []
    const statement = `RENAME TABLE ${pairs.join(', ')}`
    return [
      `SET @undo = IF(@moved, ${literal(statement)}, 'DO 0')`,
      'PREPARE slipway_undo FROM @undo',
      'EXECUTE slipway_undo',
      'DEALLOCATE PREPARE slipway_undo'
    ]
  }

  const driver: Driver = {
    engine: connection.engine,
    connection,
    format: 'sql',
    extension: '.sql',
    async probe(options = {}) {
      try {
        return await sql('select version()', options.target ? null : database)
      } catch (error) {
        throw new InputError(
          connection.input,
          `a reachable ${mariadb ? 'MariaDB' : 'MySQL'} database`,
          `${connection.display} (${(error as Error).message})`
        )
      }
    },
    async tools() {
      return {
        [dumper]: await toolVersion(dumper, undefined, context.env),
        [client]: await toolVersion(client, undefined, context.env)
      }
    },
    plan: () => [
      `${dumper} --defaults-extra-file=<0600 temp file> --single-transaction --quick --routines --triggers --events --hex-blob --no-tablespaces ${database}`
    ],
    async dump() {
      const args = [
        `--defaults-extra-file=${optionFile()}`,
        '--single-transaction', // a consistent InnoDB snapshot without locking writers
        '--quick',
        '--routines',
        '--triggers',
        '--events', // scheduled events belong to the schema: without this they are lost
        '--hex-blob',
        '--no-tablespaces',
        '--default-character-set=utf8mb4',
        database
      ]
      const program = startProgram(dumper, args, { ...common, label: dumper })
      program.stdin.end()
      return {
        stream: program.stdout,
        pipe: true,
        done: program.done,
        cleanup: async () => undefined
      }
    },
    async isEmpty() {
      const count = await sql(
        `select count(*) from information_schema.tables where table_schema = ${literal(database)}`,
        null
      )
      return count === '0'
    },
    async restore(input, options) {
      if (options.clean)
        context.log(`clean: tables and objects in the backup replace those in ${database}`)
      await restoreAtomically(input, options)
    },
    async fingerprint() {
      const tables = (
        await sql(
          `select table_name from information_schema.tables where table_schema = ${literal(database)} and table_type = 'BASE TABLE' order by 1`
        )
      )
        .split('\n')
        .filter(Boolean)
      if (tables.length === 0) return []
      const counts = new Map<string, number>()
      const countQuery = tables
        .map(table => `select ${literal(table)}, count(*) from ${quoteIdent(table)}`)
        .join(' union all ')
      for (const line of (await sql(countQuery)).split('\n').filter(Boolean)) {
        const [name, n] = line.split('\t')
        counts.set(name, Number(n))
      }
      const sums = new Map<string, string>()
      for (const line of (await sql(`checksum table ${tables.map(quoteIdent).join(', ')} extended`))
        .split('\n')
        .filter(Boolean)) {
        const [qualifiedName, sum] = line.split('\t')
        sums.set(qualifiedName.slice(qualifiedName.indexOf('.') + 1), sum)
      }
      return tables.map(
        name =>
          ({
            name,
            rows: counts.get(name) ?? -1,
            checksum: sums.get(name) ?? 'missing'
          }) satisfies TableFingerprint
      )
    },
    async scratch() {
      const name = `slipway_verify_${process.getBuiltinModule('node:crypto').randomBytes(5).toString('hex')}`
      await sql(`create database ${quoteIdent(name)}`, null)
      const scratchDriver = mysqlDriver(
        {
          ...connection,
          database: name,
          display: connection.display.replace(/\/[^/]*$/, `/${name}`)
        },
        context
      )
      return {
        driver: scratchDriver,
        drop: async () => {
          try {
            await sql(`drop database if exists ${quoteIdent(name)}`, null)
          } finally {
            await scratchDriver.close()
          }
        }
      }
    },
    async close() {
      optionDir?.remove()
      optionDir = undefined
    }
  }
  return driver
}
