import {
  chmodSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path'
import { InputError } from '@slipway/kit'
import { IntegrityError } from '../errors.js'
import { runWithInput, startProgram, toolVersion } from '../programs.js'
import type { Connection, TableFingerprint } from '../types.js'
import type { Driver, DriverContext } from './driver.js'

/** setuid and setgid: never restored (a backup must not hand out privileges). */
const PRIVILEGE_BITS = 0o6000

/**
 * Files and directories (paths and globs, `exclude` patterns) archived with the `tar`
 * program, relative to `baseDir`. A source connection has patterns; a restore target or
 * scratch copy is a directory (`path`).
 *
 * Backup: only regular files and symlinks, with the directories above them (so their modes are
 * kept), all inside baseDir by real path; special files are skipped with a warning. Restore:
 * extracted into a scratch directory in the target, checked (no symlink or member leaves
 * it, no special file), stripped of setuid/setgid, never chowned, then renamed into place; a
 * failure puts back what was replaced, so the target is as it was.
 */
export function filesDriver(connection: Connection, context: DriverContext): Driver {
  const common = { baseEnv: context.env, redactor: context.redactor, timeoutMs: context.timeoutMs }
  const baseDir = connection.baseDir ?? connection.path!
  let matched: Selection | undefined

  const resolveFiles = async (): Promise<Selection> => {
    if (matched) return matched
    if (!connection.patterns) return (matched = { files: walk(baseDir), dirs: [] })
    const absolute = (pattern: string): string =>
      isAbsolute(pattern) ? pattern : join(baseDir, pattern)
    const patterns = [
      ...connection.patterns.map(absolute),
      ...(connection.exclude ?? []).map(p => `!${absolute(p.replace(/^!/, ''))}`)
    ]
    // Loaded here: only a files backup needs it, and it is not parsed before a database dump.
    const glob = await import('@actions/glob')
    const globber = await glob.create(patterns.join('\n'), {
      matchDirectories: false,
      followSymbolicLinks: false,
      implicitDescendants: true
    })
    matched = select(baseDir, await globber.glob(), context)
    if (matched.files.length === 0)
      throw new InputError(
        'paths',
        'paths or globs that match at least one file',
        connection.patterns.join(', ')
      )
    return matched
  }

  const driver: Driver = {
    engine: 'files',
    connection,
    format: 'tar',
    extension: '.tar',
    async probe() {
      await resolveFiles()
      return undefined
    },
    async tools() {
      return { tar: await toolVersion('tar', undefined, context.env) }
    },
    plan: () => [
      `tar --create --directory=${baseDir} --null --no-recursion --files-from=- (${connection.patterns?.join(', ')})`
    ],
    async dump() {
      const { files, dirs } = await resolveFiles()
      const program = startProgram(
        'tar',
        [
          '--create',
          '--file=-',
          `--directory=${baseDir}`,
          '--null',
          '--no-recursion',
          '--files-from=-'
        ],
        {
          ...common,
          label: 'tar'
        }
      )
      // Directories first, each before what it holds, so extraction sees their modes.
      const members = [...dirs, ...files].sort()
      program.stdin.end(Buffer.from(members.map(member => `${member}\0`).join('')))
      return {
        stream: program.stdout,
        done: program.done,
        fileCount: files.length,
        cleanup: async () => undefined
      }
    },
    async isEmpty() {
      return !existsSync(baseDir) || readdirSync(baseDir).length === 0
    },
    async restore(input, { clean }) {
      void clean // the caller refused a non-empty directory unless clean was set
      mkdirSync(baseDir, { recursive: true })
      // Inside the target rather than beside it: the same filesystem even when the target is a
      // mount point (so the swap is renames), and writable whenever the target is (its parent may
      // not be). 0700, and gone when the restore ends either way.
      const scratch = mkdtempSync(join(baseDir, '.slipway-restore-'))
      try {
        const index = join(scratch, 'index')
        const tree = join(scratch, 'tree')
        mkdirSync(tree, { mode: 0o700 })
        try {
          await runWithInput(
            'tar',
            [
              '--extract',
              '--file=-',
              `--directory=${tree}`,
              '--no-same-owner',
              '--preserve-permissions',
              '--verbose',
              `--index-file=${index}`,
              '--quoting-style=escape'
            ],
            { ...common, label: 'tar' },
            input
          )
        } catch (error) {
          throw refusedMembers(error as Error) ?? error
        }
        chmodSync(tree, 0o700) // an archive entry for `.` must not open the scratch directory
        checkExtracted(tree)
        swapInto(tree, baseDir, explicitDirectories(index), scratch)
      } finally {
        rmSync(scratch, { recursive: true, force: true })
      }
    },
    async fingerprint() {
      const result: TableFingerprint[] = []
      for (const file of (await resolveFiles()).files) {
        const full = join(baseDir, file)
        if (lstatSync(full).isSymbolicLink()) {
          result.push({ name: file, rows: 0, checksum: 'symlink' })
          continue
        }
        result.push(await fingerprintFile(file, full))
      }
      return result
    },
    async scratch() {
      const dir = mkdtempSync(join(tmpdir(), 'slipway-verify-'))
      return {
        driver: filesDriver(
          { engine: 'files', path: dir, display: dir, input: connection.input },
          context
        ),
        drop: async () => rmSync(dir, { recursive: true, force: true })
      }
    },
    close: async () => undefined
  }
  return driver
}

interface Selection {
  /** Regular files and symlinks, relative to the base, sorted. */
  files: string[]
  /** The directories above them (inside the base), so their modes are archived too. */
  dirs: string[]
}

/**
 * The globbed paths that may be archived. Containment is decided on real paths: a path whose
 * directory is reached through a symlink is refused (`link/passwd` with `link -> /etc`), and so
 * is a symlink that points outside the base. FIFOs, sockets and devices are skipped with a
 * warning: tar would archive a node, and reading one for verify never ends.
 */
function select(baseDir: string, found: string[], context: DriverContext): Selection {
  if (found.length === 0) return { files: [], dirs: [] }
  const realBase = realpathSync(baseDir)
  const files: string[] = []
  const dirs = new Set<string>()
  const skipped: string[] = []
  for (const file of found) {
    const rel = relative(baseDir, file)
    if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new InputError('paths', `paths inside base-dir (${baseDir})`, file)
    }
    const parent = dirname(rel)
    const realParent = realpathSync(join(baseDir, parent))
    if (realParent !== join(realBase, parent)) {
      throw new InputError(
        'paths',
        `paths inside base-dir (${baseDir}) not reached through a symlink (${rel} is in ${realParent})`,
        file
      )
    }
    const stat = lstatSync(file)
    if (stat.isSymbolicLink()) {
      const target = readlinkSync(file)
      if (symlinkEscapes(rel, target))
        throw new InputError(
          'paths',
          `symlinks that stay inside base-dir (${rel} -> ${target}; leave it out with exclude)`,
          file
        )
    } else if (!stat.isFile()) {
      skipped.push(rel)
      continue
    }
    files.push(rel)
    for (let dir = parent; dir !== '.'; dir = dirname(dir)) dirs.add(dir)
  }
  if (skipped.length > 0)
    context.log(
      `Warning: skipped ${skipped.length} special file(s) (FIFOs, sockets and devices are not archived): ${skipped.sort().join(', ')}`
    )
  return { files: files.sort(), dirs: [...dirs].sort() }
}

/**
 * Whether a symlink at `rel` (relative to a root) pointing to `target` may resolve outside the
 * root. Decided on the spelling without trusting it: absolute targets leave; `..` may only lead
 * (climbing real directories above the link, never past the root), because a `..` after a name
 * climbs from wherever that name leads when it is itself a symlink (`b -> .`, `a -> b/x/../..`).
 */
export function symlinkEscapes(rel: string, target: string): boolean {
  if (target === '' || isAbsolute(target)) return true
  let depth = rel.split(sep).length - 1
  let descended = false
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue
    if (part !== '..') descended = true
    else if (descended || depth-- === 0) return true
  }
  return false
}

/** Hash of a regular file, opened without blocking so a FIFO in its place cannot hang verify. */
async function fingerprintFile(name: string, full: string): Promise<TableFingerprint> {
  const handle = await process
    .getBuiltinModule('node:fs/promises')
    .open(full, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW)
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) return { name, rows: -1, checksum: 'not a regular file' }
    const hash = process.getBuiltinModule('node:crypto').createHash('sha256')
    for await (const chunk of handle.createReadStream({ autoClose: false }))
      hash.update(chunk as Buffer)
    return { name, rows: stat.size, checksum: hash.digest('hex') }
  } finally {
    await handle.close()
  }
}

/** tar refuses members named with `..` and goes on; the restore is refused as a whole. */
function refusedMembers(error: Error): Error | undefined {
  const names = [...error.message.matchAll(/tar: (.*): Member name contains '\.\.'/g)].map(
    m => m[1]
  )
  if (names.length === 0) return undefined
  return new IntegrityError(
    `the archive is refused: member(s) ${names.join(', ')} would be written outside the target; nothing was restored`
  )
}

/**
 * Refuses what a hand-made or tampered archive could slip into the target: symlinks that leave
 * it, device nodes, FIFOs and sockets. Strips setuid/setgid (modes are otherwise as archived).
 */
function checkExtracted(tree: string): void {
  const problems: string[] = []
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(tree, rel))) {
      const child = rel ? join(rel, name) : name
      const full = join(tree, child)
      const stat = lstatSync(full)
      if (stat.isSymbolicLink()) {
        const target = readlinkSync(full)
        if (symlinkEscapes(child, target))
          problems.push(`symlink ${child} -> ${target} points outside the target`)
        continue
      }
      if (!stat.isFile() && !stat.isDirectory()) {
        problems.push(`${child} is a special file (device, FIFO or socket)`)
        continue
      }
      if (stat.mode & PRIVILEGE_BITS) chmodSync(full, stat.mode & 0o7777 & ~PRIVILEGE_BITS)
      if (stat.isDirectory()) visit(child)
    }
  }
  visit('')
  if (problems.length > 0)
    throw new IntegrityError(
      `the archive is refused: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}; nothing was restored`
    )
}

/** Directories that had their own entry in the archive (their modes are archived ones). */
function explicitDirectories(index: string): Set<string> {
  const dirs = new Set<string>()
  if (!existsSync(index)) return dirs
  for (const line of readFileSync(index, 'latin1').split('\n')) {
    if (!line.endsWith('/')) continue
    const name = normalize(unescapeTar(line)).replace(/\/+$/, '')
    if (name && name !== '.') dirs.add(name)
  }
  return dirs
}

/** Undoes tar's `escape` quoting (C escapes, octal bytes) back to the UTF-8 name. */
function unescapeTar(text: string): string {
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11 }
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c !== '\\' || i + 1 >= text.length) {
      bytes.push(text.charCodeAt(i) & 0xff)
      continue
    }
    const next = text[i + 1]
    const octal = /^[0-7]{3}/.exec(text.slice(i + 1))
    if (octal) {
      bytes.push(parseInt(octal[0], 8))
      i += 3
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0))
      i += 1
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

type Undo = { placed: string } | { moved: string; parked: string } | { chmod: string; mode: number }

/**
 * Moves the extracted tree into the target: what the archive holds replaces what is there
 * (renames, same filesystem), everything else in the target stays. A directory that exists on
 * both sides is merged; its mode is set only from an explicit archive entry. Any failure undoes
 * every step, newest first, so the target is left as it was.
 */
function swapInto(tree: string, target: string, explicit: Set<string>, scratch: string): void {
  const aside = join(scratch, 'aside')
  mkdirSync(aside, { mode: 0o700 })
  const journal: Undo[] = []
  const place = (rel: string): void => {
    for (const name of readdirSync(join(tree, rel))) {
      const child = rel ? join(rel, name) : name
      const from = join(tree, child)
      const to = join(target, child)
      const source = lstatSync(from)
      const existing = lstatOrUndefined(to)
      if (source.isDirectory() && existing?.isDirectory()) {
        place(child)
        const mode = source.mode & 0o7777
        if (explicit.has(child) && (existing.mode & 0o7777) !== mode) {
          journal.push({ chmod: to, mode: existing.mode & 0o7777 })
          chmodSync(to, mode)
        }
        continue
      }
      if (existing) {
        const parked = join(aside, String(journal.length))
        renameSync(to, parked)
        journal.push({ moved: to, parked })
      }
      renameSync(from, to)
      journal.push({ placed: to })
    }
  }
  try {
    place('')
  } catch (error) {
    for (const step of journal.reverse()) {
      if ('placed' in step) rmSync(step.placed, { recursive: true, force: true })
      else if ('moved' in step) renameSync(step.parked, step.moved)
      else chmodSync(step.chmod, step.mode)
    }
    throw error
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

/** Regular files and symlinks under dir, relative, sorted; bounded by what is on disk. */
function walk(dir: string): string[] {
  const out: string[] = []
  if (!existsSync(dir)) return out
  const visit = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const child = rel ? join(rel, entry.name) : entry.name
      if (entry.isDirectory()) visit(child)
      else if (entry.isFile() || entry.isSymbolicLink()) out.push(child)
    }
  }
  visit('')
  return out.sort()
}
