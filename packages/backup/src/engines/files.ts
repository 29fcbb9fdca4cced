import { createHash } from 'node:crypto'
import {
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative, sep } from 'node:path'
import * as glob from '@actions/glob'
import { InputError } from '@slipway/kit'
import { runWithInput, startProgram, toolVersion } from '../programs.js'
import type { Connection, TableFingerprint } from '../types.js'
import type { Driver, DriverContext } from './driver.js'

/**
 * Files and directories (paths and globs, `exclude` patterns) archived with the `tar`
 * program, relative to `baseDir`. A source connection has patterns; a restore target or
 * scratch copy is a directory (`path`).
 */
export function filesDriver(connection: Connection, context: DriverContext): Driver {
  const common = { baseEnv: context.env, redactor: context.redactor, timeoutMs: context.timeoutMs }
  const baseDir = connection.baseDir ?? connection.path!
  let matched: string[] | undefined

  /** Matching regular files and symlinks, relative to baseDir, sorted. */
  const resolveFiles = async (): Promise<string[]> => {
    if (matched) return matched
    if (!connection.patterns) return (matched = walk(baseDir))
    const absolute = (pattern: string): string =>
      isAbsolute(pattern) ? pattern : join(baseDir, pattern)
    const patterns = [
      ...connection.patterns.map(absolute),
      ...(connection.exclude ?? []).map(p => `!${absolute(p.replace(/^!/, ''))}`)
    ]
    const globber = await glob.create(patterns.join('\n'), {
      matchDirectories: false,
      followSymbolicLinks: false,
      implicitDescendants: true
    })
    const files: string[] = []
    for (const file of await globber.glob()) {
      const rel = relative(baseDir, file)
      if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
        throw new InputError('paths', `paths inside base-dir (${baseDir})`, file)
      }
      files.push(rel)
    }
    if (files.length === 0)
      throw new InputError(
        'paths',
        'paths or globs that match at least one file',
        connection.patterns.join(', ')
      )
    return (matched = files.sort())
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
      const files = await resolveFiles()
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
      program.stdin.end(Buffer.from(files.map(file => `${file}\0`).join('')))
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
      mkdirSync(baseDir, { recursive: true })
      void clean // the caller refused a non-empty directory unless clean was set; tar overwrites
      await runWithInput(
        'tar',
        ['--extract', '--file=-', `--directory=${baseDir}`],
        { ...common, label: 'tar' },
        input
      )
    },
    async fingerprint() {
      const result: TableFingerprint[] = []
      for (const file of await resolveFiles()) {
        const full = join(baseDir, file)
        const stat = lstatSync(full)
        if (stat.isSymbolicLink()) {
          result.push({ name: file, rows: 0, checksum: 'symlink' })
          continue
        }
        const hash = createHash('sha256')
        for await (const chunk of createReadStream(full)) hash.update(chunk as Buffer)
        result.push({ name: file, rows: stat.size, checksum: hash.digest('hex') })
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
