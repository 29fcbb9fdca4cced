import type { Engine } from '../types.js'
import type { CatalogClient } from './client.js'

export interface ColumnShape {
  name: string
  type: string
  nullable: boolean
  /** The default expression as the catalog prints it; null when there is none. */
  default: string | null
}

export interface TableShape {
  name: string
  columns: ColumnShape[]
  rows: number
}

/** An index or a constraint: what it is called, on which table, and what it says. */
export interface SchemaObjectShape {
  table: string
  name: string
  definition: string
}

/** The structure of a database and its row counts, read from the catalog. */
export interface SchemaSnapshot {
  tables: TableShape[]
  indexes: SchemaObjectShape[]
  constraints: SchemaObjectShape[]
}

const text = (value: string | null): string => value ?? ''

/** Reads tables, columns, indexes, constraints and exact row counts of one database. */
export async function readSnapshot(
  engine: Engine,
  client: CatalogClient,
  database: string
): Promise<SchemaSnapshot> {
  switch (engine) {
    case 'postgres':
      return postgresSnapshot(client, database)
    case 'mysql':
    case 'mariadb':
      return mysqlSnapshot(client, database)
    case 'sqlite':
      return sqliteSnapshot(client, database)
    case 'files':
      throw new Error('a files backup has no schema')
  }
}

function tablesFrom(
  columns: (string | null)[][],
  counts: Map<string, number>,
  names: string[]
): TableShape[] {
  const byTable = new Map<string, ColumnShape[]>(names.map(name => [name, []]))
  for (const [table, name, type, nullable, def] of columns) {
    byTable.get(text(table))?.push({
      name: text(name),
      type: text(type),
      nullable: nullable === 't' || nullable === 'YES' || nullable === '1',
      default: def
    })
  }
  return names.map(name => ({
    name,
    columns: byTable.get(name) ?? [],
    rows: counts.get(name) ?? 0
  }))
}

const pgLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`

/** User schemas only; `public.` is left off names, other schemas stay qualified. */
const PG_USER_SCHEMA =
  "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'"
const PG_NAME = "case when n.nspname = 'public' then '' else n.nspname || '.' end"

async function postgresSnapshot(client: CatalogClient, database: string): Promise<SchemaSnapshot> {
  const tableRows = await client.rows(
    `select ${PG_NAME} || c.relname, format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and not c.relispartition and ${PG_USER_SCHEMA} order by 1`,
    database
  )
  const names = tableRows.map(([name]) => text(name))
  const [columns, indexes, constraints, counts] = await Promise.all([
    client.rows(
      `select ${PG_NAME} || c.relname, a.attname, format_type(a.atttypid, a.atttypmod), case when a.attnotnull then 'f' else 't' end, pg_get_expr(d.adbin, d.adrelid)
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and ${PG_USER_SCHEMA}
       order by 1, a.attnum`,
      database
    ),
    client.rows(
      `select ${PG_NAME} || t.relname, i.relname, regexp_replace(pg_get_indexdef(i.oid), ' ON [^ ]+ ', ' ON ' || t.relname || ' ')
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
       where ${PG_USER_SCHEMA} order by 1, 2`,
      database
    ),
    client.rows(
      `select ${PG_NAME} || t.relname, c.conname, pg_get_constraintdef(c.oid)
       from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
       where ${PG_USER_SCHEMA} order by 1, 2`,
      database
    ),
    tableRows.length === 0
      ? Promise.resolve([])
      : client.rows(
          tableRows
            .map(
              ([name, qualified]) => `select ${pgLiteral(text(name))}, count(*) from ${qualified}`
            )
            .join(' union all '),
          database
        )
  ])
  return {
    tables: tablesFrom(columns, new Map(counts.map(([name, n]) => [text(name), Number(n)])), names),
    indexes: indexes.map(([table, name, definition]) => ({
      table: text(table),
      name: text(name),
      definition: text(definition)
    })),
    constraints: constraints.map(([table, name, definition]) => ({
      table: text(table),
      name: text(name),
      definition: text(definition)
    }))
  }
}

const myLiteral = (value: string): string =>
  `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
const myIdent = (name: string): string => `\`${name.replace(/`/g, '``')}\``

async function mysqlSnapshot(client: CatalogClient, database: string): Promise<SchemaSnapshot> {
  const schema = myLiteral(database)
  const names = (
    await client.rows(
      `select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by 1`
    )
  ).map(([name]) => text(name))
  const [columns, indexes, constraints, counts] = await Promise.all([
    client.rows(
      `select table_name, column_name, column_type, is_nullable, column_default from information_schema.columns where table_schema = ${schema} order by table_name, ordinal_position`
    ),
    client.rows(
      `select table_name, index_name, concat(if(non_unique = 0, 'UNIQUE ', ''), 'INDEX (', group_concat(column_name order by seq_in_index separator ', '), ')') from information_schema.statistics where table_schema = ${schema} group by table_name, index_name, non_unique order by 1, 2`
    ),
    client.rows(
      `select c.table_name, c.constraint_name, concat(c.constraint_type, coalesce(concat(' (', (select group_concat(k.column_name order by k.ordinal_position separator ', ') from information_schema.key_column_usage k where k.constraint_schema = c.constraint_schema and k.table_name = c.table_name and k.constraint_name = c.constraint_name), ')'), ''), coalesce(concat(' REFERENCES ', r.referenced_table_name), ''))
       from information_schema.table_constraints c left join information_schema.referential_constraints r on r.constraint_schema = c.constraint_schema and r.constraint_name = c.constraint_name and r.table_name = c.table_name
       where c.constraint_schema = ${schema} order by 1, 2`
    ),
    names.length === 0
      ? Promise.resolve([])
      : client.rows(
          names
            .map(name => `select ${myLiteral(name)}, count(*) from ${myIdent(name)}`)
            .join(' union all '),
          database
        )
  ])
  return {
    tables: tablesFrom(columns, new Map(counts.map(([name, n]) => [text(name), Number(n)])), names),
    indexes: indexes.map(([table, name, definition]) => ({
      table: text(table),
      name: text(name),
      definition: text(definition)
    })),
    constraints: constraints.map(([table, name, definition]) => ({
      table: text(table),
      name: text(name),
      definition: text(definition)
    }))
  }
}

const sqliteLiteral = pgLiteral
const sqliteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

async function sqliteSnapshot(client: CatalogClient, path: string): Promise<SchemaSnapshot> {
  const names = (
    await client.rows(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1",
      path
    )
  ).map(([name]) => text(name))
  if (names.length === 0) return { tables: [], indexes: [], constraints: [] }
  const user = "m.type = 'table' and m.name not like 'sqlite_%'"
  const [columns, indexes, foreignKeys, counts] = await Promise.all([
    client.rows(
      `select m.name, p.name, p.type, case when p."notnull" or p.pk > 0 then '0' else '1' end, p.dflt_value from sqlite_master m join pragma_table_info(m.name) p where ${user} order by m.name, p.cid`,
      path
    ),
    client.rows(
      `select m.name, l.name, case when l."unique" then 'UNIQUE ' else '' end || 'INDEX (' || (select group_concat(i.name, ', ') from pragma_index_info(l.name) i) || ')' || case when l.partial then ' partial' else '' end from sqlite_master m join pragma_index_list(m.name) l where ${user} order by 1, 2`,
      path
    ),
    client.rows(
      `select m.name, f.id, group_concat(f."from", ', '), f."table", group_concat(coalesce(f."to", ''), ', ') from sqlite_master m join pragma_foreign_key_list(m.name) f where ${user} group by m.name, f.id order by 1, 2`,
      path
    ),
    client.rows(
      names
        .map(name => `select ${sqliteLiteral(name)}, count(*) from ${sqliteIdent(name)}`)
        .join(' union all '),
      path
    )
  ])
  const tables = tablesFrom(columns, new Map(counts.map(([n, c]) => [text(n), Number(c)])), names)
  // SQLite keeps a primary key in the column list; as a constraint it compares like the others.
  const primaryKeys = (
    await client.rows(
      `select m.name, group_concat(p.name, ', ') from sqlite_master m join pragma_table_info(m.name) p where ${user} and p.pk > 0 group by m.name order by 1`,
      path
    )
  ).map(([table, cols]) => ({
    table: text(table),
    name: 'primary key',
    definition: `PRIMARY KEY (${text(cols)})`
  }))
  const checks = (
    await client.rows(`select m.name, m.sql from sqlite_master m where ${user} order by 1`, path)
  ).flatMap(([table, sql]) =>
    [...text(sql).matchAll(/\bcheck\s*\(/gi)].map((match, i) => ({
      table: text(table),
      name: `check ${i + 1}`,
      definition: balanced(text(sql), (match.index ?? 0) + match[0].length - 1)
    }))
  )
  return {
    tables,
    indexes: indexes.map(([table, name, definition]) => ({
      table: text(table),
      // Automatic indexes are named after their position: compared by what they index.
      name: text(name).startsWith('sqlite_autoindex_') ? text(definition) : text(name),
      definition: text(definition)
    })),
    constraints: [
      ...primaryKeys,
      ...foreignKeys.map(([table, , from, target, to]) => ({
        table: text(table),
        name: `foreign key (${text(from)})`,
        definition: `FOREIGN KEY (${text(from)}) REFERENCES ${text(target)}${to ? ` (${to})` : ''}`
      })),
      ...checks
    ]
  }
}

/** `CHECK (…)` from the opening parenthesis at `start` to its match. */
function balanced(sql: string, start: number): string {
  let depth = 0
  for (let i = start; i < sql.length; i++) {
    if (sql[i] === '(') depth++
    else if (sql[i] === ')' && --depth === 0) return `CHECK ${sql.slice(start, i + 1)}`
  }
  return `CHECK ${sql.slice(start)}`
}
