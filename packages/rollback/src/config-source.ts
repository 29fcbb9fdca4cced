import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError, type InputSource } from '@slipway/kit'
import {
  loadConfigFile,
  sectionInputs,
  stageSection,
  type ConfigFile,
  type Stage
} from '@slipway/config'

/**
 * slipway.schema.json sits at the root of the Slipway checkout: beside `action.yml` for the
 * bundles (`dist/<name>/index.js` → `../../`) and above `packages/*` in tests.
 */
export function loadSlipwaySchema(start = dirname(fileURLToPath(import.meta.url))): object {
  let dir = start
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'slipway.schema.json')
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as object
    dir = dirname(dir)
  }
  throw new Error(`slipway.schema.json not found above ${start}`)
}

/**
 * Reads the config file named by `config-file`, validated by the schema. A relative path is
 * the runner's workspace's (`RunnerEnv.workspace`): the caller's runner facts, never this
 * process's environment, so the CLI and the tests name the workspace they mean.
 */
export function readConfigFile(path: string, inputName: string, workspace: string): ConfigFile {
  const full = resolve(workspace, path)
  if (!existsSync(full)) throw new InputError(inputName, 'a readable YAML file', path)
  return loadConfigFile(full, loadSlipwaySchema(), inputName)
}

/**
 * Inputs the rollback stage borrows from the other stages' sections when its own leaves them
 * unset: the provider settings of `deploy`, the data source of `backup`, the checks of `smoke`.
 * Key: the rollback input; value: [stage, that stage's input].
 */
const BORROWED: Record<string, [Stage, string]> = {
  'database-url': ['backup', 'database-url'],
  engine: ['backup', 'engine'],
  'backup-path': ['backup', 'path'],
  'backup-name': ['backup', 'name'],
  'age-identity': ['backup', 'age-identity'],
  'smoke-url': ['smoke', 'url'],
  'smoke-expect-status': ['smoke', 'expect-status'],
  'smoke-expect-body': ['smoke', 'expect-body'],
  'smoke-checks': ['smoke', 'checks'],
  'smoke-timeout': ['smoke', 'timeout'],
  // The release's tags: the rollback annotates the bad version's release under the same prefix.
  'tag-prefix': ['release', 'tag-prefix']
}

/**
 * The rollback's view of a config file: its own section, then the deploy section's inputs
 * under the same names (provider, targets, hooks), then the BORROWED backup and smoke inputs.
 */
export function rollbackSource(config: ConfigFile, environment: string | undefined): InputSource {
  const own = sectionInputs(stageSection(config, environment, 'rollback'))
  const deploy = sectionInputs(stageSection(config, environment, 'deploy'))
  const sections = {
    backup: sectionInputs(stageSection(config, environment, 'backup')),
    smoke: sectionInputs(stageSection(config, environment, 'smoke')),
    release: sectionInputs(stageSection(config, environment, 'release'))
  } as Record<Stage, InputSource>
  return name => {
    const value = own(name) ?? deploy(name)
    if (value !== undefined) return value
    const borrowed = BORROWED[name]
    return borrowed ? sections[borrowed[0]]?.(borrowed[1]) : undefined
  }
}

export { BORROWED as BORROWED_INPUTS }
