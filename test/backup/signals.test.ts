import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, dirStore } from '@slipway/backup'
import { repoRoot } from '../helpers/run-bundle.js'
import { startMariadb, type MariadbServer } from '../services/mariadb.js'
import { isAlive, waitFor } from '../services/process.js'

// The backup action cancelled mid-restore, as the runner cancels it (SIGTERM): every program it
// started dies with it, its option file with the password is gone, the target is untouched and
// the scratch schema is dropped. The programs never saw the step's inputs or runner tokens.

let db: MariadbServer
let root: string

/** Processes whose parent is `pid`, with their program names, read from /proc. */
function childrenOf(pid: number): { pid: number; name: string }[] {
  const found: { pid: number; name: string }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) found.push({ pid: Number(entry), name })
    } catch {
      // exited while we looked
    }
  }
  return found
}

function exitOf(child: ChildProcess, deadlineMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode)
    const timer = setTimeout(() => reject(new Error(`no exit within ${deadlineMs}ms`)), deadlineMs)
    child.once('exit', code => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

/** A session of its own holding FLUSH TABLES WITH READ LOCK until `unlock`. */
function globalReadLock(): { lock(): Promise<void>; unlock(): Promise<void> } {
  let session: ChildProcess | undefined
  return {
    async lock() {
      const client = spawn(
        'mariadb',
        [
          '--no-defaults',
          `--socket=${db.socket}`,
          '-uroot',
          '--batch',
          '--skip-column-names',
          '-n'
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] }
      )
      session = client
      let said = ''
      client.stdout!.on('data', chunk => (said += chunk))
      client.stdin!.write("FLUSH TABLES WITH READ LOCK;\nSELECT 'locked';\n")
      await waitFor('the global read lock', () => said.includes('locked'), 60_000)
    },
    async unlock() {
      const client = session
      session = undefined
      if (!client || client.exitCode !== null) return
      client.stdin!.end('UNLOCK TABLES;\n')
      await exitOf(client, 30_000)
    }
  }
}

const state = (): Promise<string> =>
  db.sql(
    `select concat((select count(*) from items), ' ', (select sum(qty) from items), ' ',
       (select group_concat(trigger_name) from information_schema.triggers where trigger_schema = 'app'), ' ',
       (select group_concat(event_name) from information_schema.events where event_schema = 'app'))`,
    'app'
  )

beforeAll(async () => {
  db = await startMariadb()
  root = mkdtempSync(join(tmpdir(), 'slipway-backup-signals-'))
  await db.sql('create database app')
  // Enough rows that the load takes a while: the kill lands while the scratch schema fills.
  await db.sql(
    `create table items (id int primary key, qty int not null, label varchar(80)) engine=InnoDB;
     insert into items select seq, seq % 97, concat('item-', seq, '-', repeat('x', 50)) from seq_1_to_200003;
     create table audit (id int primary key auto_increment, item_id int) engine=InnoDB;
     create trigger items_audit after insert on items for each row insert into audit (item_id) values (new.id);
     create event purge_audit on schedule every 1 day do delete from audit where item_id < 0;`,
    'app'
  )
}, 180_000)

afterAll(async () => {
  await db?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('a cancelled restore', () => {
  it('stops every program, removes the option file, drops the scratch schema and leaves the target as it was', async () => {
    const storeDir = join(root, 'store')
    const { manifest } = await backup({
      source: { url: db.url('app') },
      store: dirStore(storeDir),
      compression: 'zstd'
    })
    await db.sql(
      'delete from items where id > 100000; update items set qty = 0 where id = 1',
      'app'
    )
    const before = await state()
    expect(before).toMatch(/^100000 \d+ items_audit purge_audit$/)

    const runnerTemp = mkdtempSync(join(root, 'runner-temp-'))
    const files = ['output', 'summary', 'state', 'env', 'path'].map(name => join(runnerTemp, name))
    for (const file of files) writeFileSync(file, '')
    const action = spawn(process.execPath, [join(repoRoot, 'dist', 'backup', 'index.js')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        RUNNER_TEMP: runnerTemp,
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: files[0],
        GITHUB_STEP_SUMMARY: files[1],
        GITHUB_STATE: files[2],
        GITHUB_ENV: files[3],
        GITHUB_PATH: files[4],
        ACTIONS_RUNTIME_TOKEN: 'runtime-token-never-for-children',
        'INPUT_GITHUB-TOKEN': 'ghs_token-never-for-children',
        INPUT_OPERATION: 'restore',
        'INPUT_DATABASE-URL': db.url('app'),
        INPUT_PATH: storeDir,
        'INPUT_BACKUP-ID': manifest!.id,
        INPUT_CLEAN: 'true'
      }
    })
    const locker = globalReadLock()
    let output = ''
    action.stdout!.on('data', chunk => (output += chunk))
    action.stderr!.on('data', chunk => (output += chunk))
    try {
      // The event: the scratch schema has its table (the load is under way). Reading the table
      // itself would wait for the dump's LOCK TABLES, that is, for the end of its rows.
      await waitFor(
        'the scratch schema',
        async () => {
          if (action.exitCode !== null) throw new Error(`the action exited early: ${output}`)
          return (
            (await db.sql(
              "select count(*) from information_schema.tables where table_schema like 'slipway\\_restore\\_%' and table_name = 'items'"
            )) === '1'
          )
        },
        60_000
      )
      // Hold the load mid-way: a global read lock (granted between two of the dump's statements)
      // stops the loading session at its next write, before the end of the load.
      await locker.lock()
      await waitFor(
        'the load to wait for the lock',
        async () =>
          /lock/i.test(
            await db.sql(
              `select group_concat(state) from information_schema.processlist where user = '${db.user}' and command = 'Query'`
            )
          ),
        60_000
      )
      const programs = childrenOf(action.pid!)
      // The client loading the dump (zstd, when still decompressing, beside it).
      expect(programs.map(p => p.name)).toContain('mysql')
      for (const program of programs) expect(['mysql', 'zstd']).toContain(program.name)
      // The client is held by the lock (zstd may have finished decompressing already).
      for (const program of programs.filter(p => p.name === 'mysql')) {
        const environ = readFileSync(`/proc/${program.pid}/environ`, 'utf8').split('\0')
        expect(environ.filter(v => /^(INPUT_|ACTIONS_)/.test(v))).toEqual([])
        expect(environ.join('\n')).not.toContain('never-for-children')
      }
      expect(readdirSync(runnerTemp).filter(name => name.startsWith('slipway-my-'))).toHaveLength(1)

      action.kill('SIGTERM')
      await waitFor('the programs to die', () => programs.every(p => !isAlive(p.pid)), 30_000)
      await locker.unlock() // the cleanup's DROP DATABASE may proceed
      expect(await exitOf(action, 30_000)).toBe(143)
      expect(readdirSync(runnerTemp).filter(name => name.startsWith('slipway-'))).toEqual([])
      // The scratch schema goes (its DROP may still be finishing on the server).
      await waitFor(
        'the scratch schema to be dropped',
        async () =>
          (await db.sql(
            "select count(*) from information_schema.schemata where schema_name like 'slipway\\_%'"
          )) === '0',
        30_000
      )
      expect(await state()).toBe(before)
    } finally {
      action.kill('SIGKILL')
      await locker.unlock()
    }
  }, 180_000)
})
