import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '@slipway/kit'
import { backup, dirStore, restore, verify, type Manifest } from '@slipway/backup'

// Files backups keep modes but never privileges, never reach outside their base or target, and a
// restore that fails leaves the target as it was.

let root: string
const mode = (path: string): string => (lstatSync(path).mode & 0o7777).toString(8)

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-files-safety-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Puts a hand-made tar archive into a dir store with a matching manifest; returns its id. */
function plant(storeDir: string, name: string, archive: string): string {
  mkdirSync(storeDir, { recursive: true })
  const id = `${name}-20260101T000000Z-000001`
  const file = `${id}.tar`
  const data = readFileSync(archive)
  writeFileSync(join(storeDir, file), data)
  const manifest: Manifest = {
    version: 1,
    id,
    name,
    engine: 'files',
    format: 'tar',
    source: 'hand-made',
    file,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    created: new Date().toISOString(),
    durationMs: 0,
    compression: 'none',
    encryption: null,
    tools: {}
  }
  writeFileSync(join(storeDir, `${id}.manifest.json`), JSON.stringify(manifest))
  return id
}

/** tar of `members` (created by `make` inside a fresh directory), without any of our checks. */
function handMadeTar(label: string, make: (dir: string) => void, members: string[]): string {
  const dir = join(root, `src-${label}`)
  mkdirSync(dir)
  make(dir)
  const archive = join(root, `${label}.tar`)
  execFileSync('tar', ['--create', '--absolute-names', `--file=${archive}`, ...members], {
    cwd: dir
  })
  return archive
}

/** Scratch or set-aside directories a restore left in `dir` or beside it. */
const leftovers = (dir: string): string[] =>
  [dir, join(dir, '..')].flatMap(d =>
    existsSync(d) ? readdirSync(d).filter(name => name.startsWith('.slipway-')) : []
  )

describe('files backup and restore keep modes, not privileges', () => {
  it('restores directory and file modes as archived, without setuid/setgid or ownership', async () => {
    const base = join(root, 'modes')
    mkdirSync(join(base, 'private'), { recursive: true })
    mkdirSync(join(base, 'bin'))
    mkdirSync(join(base, 'shared'))
    writeFileSync(join(base, 'private', 'secret.txt'), 'k')
    writeFileSync(join(base, 'bin', 'tool'), '#!/bin/sh\n')
    writeFileSync(join(base, 'suid'), 'x')
    writeFileSync(join(base, 'shared', 'f'), 'y')
    chmodSync(join(base, 'private'), 0o700)
    chmodSync(join(base, 'private', 'secret.txt'), 0o600)
    chmodSync(join(base, 'bin', 'tool'), 0o755)
    chmodSync(join(base, 'suid'), 0o4755)
    chmodSync(join(base, 'shared'), 0o2775)
    if (process.getuid?.() === 0) chownSync(join(base, 'private', 'secret.txt'), 12345, 12345)
    const store = dirStore(join(root, 'modes-store'))
    const source = { engine: 'files', paths: ['private', 'bin', 'suid', 'shared'], baseDir: base }
    const { manifest } = await backup({ source, store, compression: 'gzip' })
    expect(manifest!.fileCount).toBe(4)

    const target = join(root, 'modes-restored')
    await restore({ store, target: { url: target } })
    expect(mode(join(target, 'private'))).toBe('700')
    expect(mode(join(target, 'private', 'secret.txt'))).toBe('600')
    expect(mode(join(target, 'bin', 'tool'))).toBe('755')
    expect(mode(join(target, 'suid'))).toBe('755')
    expect(mode(join(target, 'shared'))).toBe('775')
    expect(statSync(join(target, 'private', 'secret.txt')).uid).toBe(process.getuid?.())
    expect(leftovers(target)).toEqual([])
    expect((await verify({ store, source })).ok).toBe(true)
  })
})

describe('files backup stays inside base-dir', () => {
  it('refuses a path reached through a symlink that leaves base-dir (real paths, not spelling)', async () => {
    const outside = join(root, 'outside')
    mkdirSync(outside)
    writeFileSync(join(outside, 'passwd'), 'root:x:0:0')
    const base = join(root, 'contained')
    mkdirSync(base)
    writeFileSync(join(base, 'ok.txt'), 'ok')
    symlinkSync(outside, join(base, 'link'))
    const store = dirStore(join(root, 'contained-store'))
    const attempt = backup({
      source: { engine: 'files', paths: ['link/passwd'], baseDir: base },
      store
    })
    await expect(attempt).rejects.toThrow(InputError)
    await expect(attempt).rejects.toThrow(
      /^Input 'paths': expected paths inside base-dir .*link\/passwd/
    )
  })

  it('refuses a symlink whose target leaves base-dir, naming it', async () => {
    const base = join(root, 'abs-link')
    mkdirSync(base)
    writeFileSync(join(base, 'ok.txt'), 'ok')
    symlinkSync('/etc/hostname', join(base, 'host'))
    const store = dirStore(join(root, 'abs-link-store'))
    await expect(
      backup({ source: { engine: 'files', paths: ['*'], baseDir: base }, store })
    ).rejects.toThrow(
      /^Input 'paths': expected symlinks that stay inside base-dir.*host -> \/etc\/hostname/
    )
    expect(existsSync(join(root, 'abs-link-store'))).toBe(false)
  })

  it('skips a FIFO with a warning naming it, and verify does not hang on one', async () => {
    const base = join(root, 'fifo')
    mkdirSync(base)
    writeFileSync(join(base, 'a.txt'), 'a')
    writeFileSync(join(base, 'b.txt'), 'b')
    execFileSync('mkfifo', [join(base, 'pipe')])
    const store = dirStore(join(root, 'fifo-store'))
    const logged: string[] = []
    const source = { engine: 'files', paths: ['*'], baseDir: base }
    const { manifest } = await backup({ source, store, log: m => logged.push(m) })
    expect(manifest!.fileCount).toBe(2)
    expect(logged.filter(m => m.startsWith('Warning:'))).toEqual([expect.stringContaining('pipe')])
    // A file that became a FIFO since the backup is a difference, not a read that never ends.
    rmSync(join(base, 'b.txt'))
    execFileSync('mkfifo', [join(base, 'b.txt')])
    const result = await verify({ store, source, timeoutMs: 60_000, log: () => undefined })
    expect(result.ok).toBe(false)
    expect(result.differences).toEqual(['b.txt: only in the restored copy'])
  })
})

describe('verify honours the timeout as a whole', () => {
  it('gives up with a timeout error when the store never hands over the backup', async () => {
    const base = join(root, 'stuck')
    mkdirSync(base)
    writeFileSync(join(base, 'a.txt'), 'a')
    const real = dirStore(join(root, 'stuck-store'))
    await backup({ source: { engine: 'files', paths: ['a.txt'], baseDir: base }, store: real })
    // A store whose download never completes (a stalled network mount or artifact service).
    const stalled = { ...real, open: () => new Promise<never>(() => undefined) }
    await expect(
      verify({
        store: stalled,
        source: { engine: 'files', paths: ['a.txt'], baseDir: base },
        timeoutMs: 300
      })
    ).rejects.toThrow(/^verify of files-.* timed out after 300ms/)
  })
})

describe('files restore refuses what would reach outside the target', () => {
  const cases: [string, (dir: string) => void, string[], RegExp][] = [
    [
      'absolute',
      dir => {
        writeFileSync(join(dir, 'ok.txt'), 'ok')
        symlinkSync('/etc/passwd', join(dir, 'evil'))
      },
      ['ok.txt', 'evil'],
      /evil -> \/etc\/passwd/
    ],
    [
      'climbing',
      dir => {
        writeFileSync(join(dir, 'ok.txt'), 'ok')
        symlinkSync('../../etc', join(dir, 'up'))
      },
      ['ok.txt', 'up'],
      /up -> \.\.\/\.\.\/etc/
    ],
    [
      'through-link',
      dir => {
        // Spelled as if it stayed inside, but `b` is `.`: a/../.. is the target's parent.
        symlinkSync('.', join(dir, 'b'))
        symlinkSync('b/x/../..', join(dir, 'a'))
      },
      ['b', 'a'],
      /a -> b\/x\/\.\.\/\.\./
    ],
    [
      'member',
      dir => {
        writeFileSync(join(dir, 'ok.txt'), 'ok')
        writeFileSync(join(root, 'escaped.txt'), 'from the archive')
      },
      ['ok.txt', '../escaped.txt'],
      /\.\.\/escaped\.txt.*outside/
    ]
  ]
  for (const [label, make, members, named] of cases) {
    it(`refuses an archive with a ${label} escape; nothing is written`, async () => {
      const storeDir = join(root, `refuse-${label}-store`)
      plant(storeDir, label, handMadeTar(label, make, members))
      const parent = join(root, `refuse-${label}`)
      mkdirSync(parent)
      const target = join(parent, 'target')
      const attempt = restore({ store: dirStore(storeDir), target: { url: target } })
      await expect(attempt).rejects.toThrow(named)
      expect(existsSync(target) ? readdirSync(target) : []).toEqual([])
      expect(leftovers(target)).toEqual([])
    })
  }
})

describe('a failed files restore leaves the target as it was', () => {
  it('a truncated archive changes nothing in a non-empty target restored with clean', async () => {
    const archive = handMadeTar(
      'truncated',
      dir => {
        writeFileSync(join(dir, 'a.txt'), 'new a')
        writeFileSync(join(dir, 'b.bin'), Buffer.alloc(300_000, 7))
      },
      ['a.txt', 'b.bin']
    )
    truncateSync(archive, 100_000) // a.txt complete, b.bin cut off
    const storeDir = join(root, 'truncated-store')
    plant(storeDir, 'truncated', archive)
    const parent = join(root, 'truncated-parent')
    const target = join(parent, 'target')
    mkdirSync(target, { recursive: true })
    writeFileSync(join(target, 'a.txt'), 'old a')
    writeFileSync(join(target, 'keep.txt'), 'not in the backup')
    await expect(
      restore({ store: dirStore(storeDir), target: { url: target }, clean: true })
    ).rejects.toThrow(/tar/)
    expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('old a')
    expect(readdirSync(target).sort()).toEqual(['a.txt', 'keep.txt']) // no scratch left either
    expect(leftovers(target)).toEqual([])
  })

  it('clean replaces what the backup holds and keeps the rest of the target', async () => {
    const base = join(root, 'merge-src')
    mkdirSync(join(base, 'conf'), { recursive: true })
    writeFileSync(join(base, 'conf', 'a.yml'), 'v: 1\n')
    const store = dirStore(join(root, 'merge-store'))
    await backup({ source: { engine: 'files', paths: ['conf'], baseDir: base }, store })
    const target = join(root, 'merge-target')
    mkdirSync(join(target, 'conf'), { recursive: true })
    writeFileSync(join(target, 'conf', 'a.yml'), 'v: 2\n')
    writeFileSync(join(target, 'conf', 'local.yml'), 'mine\n')
    writeFileSync(join(target, 'other.txt'), 'other\n')
    await restore({ store, target: { url: target }, clean: true })
    expect(readFileSync(join(target, 'conf', 'a.yml'), 'utf8')).toBe('v: 1\n')
    expect(readFileSync(join(target, 'conf', 'local.yml'), 'utf8')).toBe('mine\n')
    expect(readFileSync(join(target, 'other.txt'), 'utf8')).toBe('other\n')
    expect(leftovers(target)).toEqual([])
  })
})
