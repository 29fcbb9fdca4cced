import { InputError } from '@slipway/kit'
import { parseEntry, type CheckDefinition, type Defaults } from './definitions.js'

/** The action's inputs, already read by their typed readers (names in comments). */
export interface PreflightInputs {
  /** `checks`: the parsed YAML list. */
  checks?: unknown
  /** `http-url`: one URL per line. */
  httpUrl?: string
  /** `expect-status` for the http-url checks. */
  expectStatus?: string
  /** `tcp`: host:port entries. */
  tcp?: string[]
  /** `dns`: names. */
  dns?: string[]
  /** `tls`: host[:port] entries. */
  tls?: string[]
  /** `required-vars`: variable names. */
  requiredVars?: string[]
  /** `app-config-file` (or its deprecated name `config-file`): the app's config to validate. */
  configFile?: string
  /** The name the config file came in under, so errors name the input the user wrote. */
  configFileInput?: 'app-config-file' | 'config-file'
  configSchema?: string
  artifact?: string
  artifactSha256?: string
  diskPath?: string
  diskMinFree?: string
  memoryMinFree?: string
  command?: string
  githubChecks?: boolean
  requiredChecks?: string[]
  /** `freeze-windows`: the parsed YAML list. */
  freezeWindows?: unknown
  deploymentLock?: boolean
  defaults: Defaults
}

/**
 * Turns the plain inputs and the `checks` YAML into validated check definitions. Throws an
 * InputError naming the input (`tcp`, `checks[2].url`) at the first problem, before any
 * check runs.
 */
export function parseChecks(inputs: PreflightInputs): CheckDefinition[] {
  const { defaults } = inputs
  const definitions: CheckDefinition[] = []
  const plain = (
    entry: Record<string, unknown>,
    source: string,
    labels: Record<string, string>
  ): void => {
    definitions.push(parseEntry(entry, source, defaults, labels))
  }

  for (const url of (inputs.httpUrl ?? '').split(/\s+/).filter(Boolean)) {
    plain({ type: 'http', url, 'expect-status': inputs.expectStatus }, 'http-url', {
      url: 'http-url',
      'expect-status': 'expect-status'
    })
  }
  if (inputs.expectStatus !== undefined && !inputs.httpUrl) {
    throw new InputError('http-url', 'the URL that expect-status applies to', undefined)
  }
  for (const host of inputs.tcp ?? [])
    plain({ type: 'tcp', host }, 'tcp', { host: 'tcp', port: 'tcp' })
  for (const host of inputs.dns ?? []) plain({ type: 'dns', host }, 'dns', { host: 'dns' })
  for (const host of inputs.tls ?? [])
    plain({ type: 'tls', host }, 'tls', { host: 'tls', port: 'tls' })
  if (inputs.requiredVars && inputs.requiredVars.length > 0) {
    plain(
      { type: 'env', name: 'required variables', names: inputs.requiredVars },
      'required-vars',
      { names: 'required-vars' }
    )
  }
  if (inputs.configFile || inputs.configSchema) {
    const fileInput = inputs.configFileInput ?? 'app-config-file'
    if (!inputs.configFile)
      throw new InputError(
        'app-config-file',
        "the application's config file that config-schema validates",
        undefined
      )
    if (!inputs.configSchema)
      throw new InputError(
        'config-schema',
        `a JSON Schema file to validate ${fileInput} against`,
        undefined
      )
    plain(
      { type: 'config-schema', file: inputs.configFile, schema: inputs.configSchema },
      fileInput,
      {
        file: fileInput,
        schema: 'config-schema'
      }
    )
  }
  if (inputs.artifactSha256 && !inputs.artifact) {
    throw new InputError(
      'artifact',
      'the path of the file that artifact-sha256 belongs to',
      undefined
    )
  }
  if (inputs.artifact) {
    plain({ type: 'artifact', path: inputs.artifact, sha256: inputs.artifactSha256 }, 'artifact', {
      path: 'artifact',
      sha256: 'artifact-sha256'
    })
  }
  if (inputs.diskPath || inputs.diskMinFree) {
    plain(
      { type: 'disk', path: inputs.diskPath ?? '.', 'min-free': inputs.diskMinFree ?? '1GiB' },
      'disk-path',
      {
        path: 'disk-path',
        'min-free': 'disk-min-free'
      }
    )
  }
  if (inputs.memoryMinFree)
    plain({ type: 'memory', 'min-free': inputs.memoryMinFree }, 'memory-min-free', {
      'min-free': 'memory-min-free'
    })
  if (inputs.command) plain({ type: 'command', run: inputs.command }, 'command', { run: 'command' })
  if (inputs.githubChecks || (inputs.requiredChecks && inputs.requiredChecks.length > 0)) {
    plain({ type: 'github-checks', required: inputs.requiredChecks }, 'github-checks', {
      required: 'required-checks',
      ref: 'ref'
    })
  }
  if (inputs.freezeWindows !== undefined)
    plain({ type: 'freeze', windows: inputs.freezeWindows }, 'freeze-windows', {
      windows: 'freeze-windows'
    })
  if (inputs.deploymentLock)
    plain({ type: 'deployment-lock' }, 'deployment-lock', { environment: 'environment' })

  if (inputs.checks !== undefined && inputs.checks !== null) {
    if (!Array.isArray(inputs.checks)) {
      throw new InputError(
        'checks',
        'a YAML list of checks, each a mapping such as "- {type: tcp, host: db, port: 5432}"',
        inputs.checks
      )
    }
    inputs.checks.forEach((entry, index) =>
      definitions.push(parseEntry(entry, `checks[${index}]`, defaults))
    )
  }
  if (definitions.length === 0) {
    throw new InputError(
      'checks',
      'at least one check: a checks list, or a plain input such as http-url, tcp, dns or required-vars',
      undefined
    )
  }
  return uniqueNames(definitions)
}

/** Names identify checks in outputs: a name given twice is an error, a generated one gets ` #2`. */
function uniqueNames(definitions: CheckDefinition[]): CheckDefinition[] {
  const used = new Set<string>()
  for (const definition of definitions) {
    if (!definition.nameGiven) continue
    if (used.has(definition.name))
      throw new InputError(
        `${definition.source}.name`,
        'a name that no other check uses',
        definition.name
      )
    used.add(definition.name)
  }
  return definitions.map(definition => {
    if (definition.nameGiven) return definition
    let name = definition.name
    for (let count = 2; used.has(name); count++) name = `${definition.name} #${count}`
    used.add(name)
    return { ...definition, name }
  })
}
