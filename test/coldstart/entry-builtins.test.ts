import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from '../helpers/run-bundle.js'
import { BUNDLES } from '../../scripts/bundles.mjs'

// Each bundle as the runner starts it with no inputs at all: it must stop at its first input
// error, and on the way load none of Node's builtins that cost milliseconds (crypto and tls
// about 4–5 ms each, the others 1–2 ms). The code that needs one takes it when it runs
// (process.getBuiltinModule), so a start that stops at an input error pays for none.
//
// A hook loaded with --import lists the builtins loaded after it, apart from the ones loaded
// while process.stdout or process.stderr is created: writing the error loads stream (and net
// for a pipe) whatever the bundle does. A bundle that loads one of those itself loads it before
// its first write, so it is counted.

const HEAVY = [
  'crypto',
  'tls',
  'net',
  'dgram',
  'child_process',
  'perf_hooks',
  'zlib',
  'http',
  'https',
  'http2',
  'stream',
  'stream/promises',
  'fs/promises',
  'string_decoder'
]

// The hook imports nothing: an ESM import of node:fs alone would load stream, string_decoder
// and os (its facade reads every export), which would then count as loaded before the bundle.
const HOOK = `const before = new Set(process.moduleLoadList)
const forOutput = new Set()
for (const name of ['stdout', 'stderr']) {
  const { get, enumerable } = Object.getOwnPropertyDescriptor(process, name)
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable,
    get() {
      const from = process.moduleLoadList.length
      const stream = get.call(process)
      for (const entry of process.moduleLoadList.slice(from)) forOutput.add(entry)
      Object.defineProperty(process, name, { configurable: true, enumerable, value: stream })
      return stream
    }
  })
}
process.on('exit', () => {
  const loaded = process.moduleLoadList
    .filter(entry => !before.has(entry) && !forOutput.has(entry))
    .filter(entry => entry.startsWith('NativeModule ') && !entry.includes('internal/'))
    .map(entry => entry.slice('NativeModule '.length))
  process.getBuiltinModule('node:fs').writeFileSync(process.env.SLIPWAY_LOADED_LOG, JSON.stringify(loaded))
})
`

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-entry-builtins-'))
  writeFileSync(join(dir, 'loaded.mjs'), HOOK)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Start {
  exitCode: number | null
  stdout: string
  /** What the hook wrote as the process exited (JSON); empty when it never ran. */
  loaded: string
}

/** `node dist/<name>/index.js` with the runner's environment and no INPUT_* variables. */
function start(name: string): Promise<Start> {
  const files = join(dir, name)
  const workspace = join(files, 'workspace')
  mkdirSync(workspace, { recursive: true })
  for (const file of ['output', 'summary', 'state', 'env', 'path', 'loaded'])
    writeFileSync(join(files, file), '')
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: files,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: files,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(files, 'output'),
    GITHUB_STEP_SUMMARY: join(files, 'summary'),
    GITHUB_STATE: join(files, 'state'),
    GITHUB_ENV: join(files, 'env'),
    GITHUB_PATH: join(files, 'path'),
    GITHUB_REPOSITORY: 'octo-org/octo-app',
    // A loopback port nobody listens on: a bundle that went past its input error reaches nothing.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    SLIPWAY_LOADED_LOG: join(files, 'loaded')
  }
  const hook = pathToFileURL(join(dir, 'loaded.mjs')).href
  const bundle = join(repoRoot, 'dist', name, 'index.js')
  return new Promise(resolve => {
    const child = spawn(process.execPath, ['--import', hook, bundle], {
      cwd: workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.resume()
    child.on('close', exitCode =>
      resolve({ exitCode, stdout, loaded: readFileSync(join(files, 'loaded'), 'utf8') })
    )
  })
}

describe('a bundle started without inputs', () => {
  it.each(BUNDLES)('%s stops at its input error having loaded no heavy builtin', async name => {
    const run = await start(name)
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::.* failed: Input '[^']+': expected /m)
    const loaded = JSON.parse(run.loaded) as string[]
    expect(loaded.filter(builtin => HEAVY.includes(builtin))).toEqual([])
  })
})
