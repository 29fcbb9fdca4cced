import { readFileSync } from 'node:fs'
import { yamlParse as parse } from '@slipway/kit'
import { InputError, ParserNotLoadedError, type Redactor } from '@slipway/kit'
import { connections, type DockerProviderDeps } from '../docker/connections.js'
import { parseDockerHosts } from '../docker/hosts.js'
import { checkPort, checkReadableFile, parseSecretEnv } from '../docker/inputs-check.js'
import type { DockerHost, DockerInputs } from '../docker/options.js'
import { buildRouter, checkPublishAddress } from '../docker/routing.js'
import type { Transport } from '../transport.js'
import type { Provider, Router } from '../types.js'
import { composeFormatVersion } from './project.js'
import { ComposeProvider } from './provider.js'

/** What the docker provider's build already made from the shared inputs. */
export interface ComposeDeps {
  /** The parsed `hosts` (the docker provider's parser). */
  hosts: DockerHost[]
  /** The fan-out router over the hosts' slots (or hosts, rolling). */
  router: Router
  transportFor(destination: string | undefined): Transport
  redactor?: Redactor
  /** Per compose command (`up` pulls images): default 10 minutes. */
  commandTimeoutMs?: number
  /** Project directories on the hosts (default `~/.slipway/compose`). */
  projectRoot?: string
}

/**
 * Compose v1 keeps only `[-_a-z0-9]` of a project name: anything else would make the project
 * (and so our label filters) differ from the name we gave.
 */
const COMPOSE_APP = /^[a-z0-9][a-z0-9_-]{0,62}$/

/**
 * The compose provider behind `provider: compose`: the hosts, connections and fan-out router of
 * docker's, then its own inputs checked by buildComposeProvider.
 */
export function buildCompose(inputs: DockerInputs, deps: DockerProviderDeps): Provider {
  const hosts = parseDockerHosts(inputs.hosts)
  const publishAddress = checkPublishAddress(
    inputs.publishAddress,
    '127.0.0.1 (default), host, or the IP address the compose file publishes on'
  )
  const transportFor = connections(inputs, deps, hosts)
  const fleet = {
    strategy: inputs.strategy,
    hosts,
    hostPort: checkPort(
      'host-port',
      inputs.hostPort,
      inputs.strategy === 'rolling' ? 65535 : 65534
    ),
    publishAddress
  }
  return buildComposeProvider(inputs, {
    hosts,
    router: buildRouter(inputs, fleet, transportFor),
    transportFor,
    redactor: deps.redactor,
    commandTimeoutMs: Math.max(inputs.hookTimeoutMs, 30_000)
  })
}

/**
 * The compose provider from the deploy inputs. Every problem is an InputError naming the input,
 * thrown before any host is touched.
 */
export function buildComposeProvider(inputs: DockerInputs, deps: ComposeDeps): ComposeProvider {
  const app = inputs.app ?? inputs.repository?.split('/').pop()?.toLowerCase()
  if (!app || !COMPOSE_APP.test(app))
    throw new InputError(
      'app',
      'a compose project name: lower-case letters, digits, - and _ (starting with a letter or digit)',
      app
    )
  const composeFile = readComposeFile(inputs.composeFile)
  for (const [input, value] of [
    ['image-archive', inputs.imageArchive],
    ['cmd', inputs.cmd],
    ['volumes', inputs.volumes.length > 0 ? inputs.volumes.join(', ') : undefined]
  ] as const) {
    if (value)
      throw new InputError(
        input,
        'nothing with provider compose (images, commands and volumes belong in the compose file)',
        value
      )
  }
  const envFile = inputs.envFile
    ? checkReadableFile('env-file', inputs.envFile, 'KEY=VALUE lines every service reads')
    : undefined
  const secretEnv = parseSecretEnv(inputs.secretEnv, deps.redactor)
  // green publishes on host-port + 1
  const hostPort = checkPort(
    'host-port',
    inputs.hostPort,
    inputs.strategy === 'rolling' ? 65535 : 65534
  )
  if (!/^\/[\x21-\x7e]*$/.test(inputs.healthPath))
    throw new InputError('health-path', 'a path starting with / without spaces', inputs.healthPath)
  // `none` turns the engine's gate off (said so in the timeline); the provider then never probes
  if (!['auto', 'http', 'tcp', 'none'].includes(inputs.healthCheck))
    throw new InputError(
      'health-check',
      'auto (the services’ healthchecks, else http), http, tcp or none with provider compose',
      inputs.healthCheck
    )
  const healthCheck =
    inputs.healthCheck === 'none' ? 'auto' : (inputs.healthCheck as 'auto' | 'http' | 'tcp')
  if (inputs.router === 'provider')
    throw new InputError('router', 'haproxy or nginx with provider compose', inputs.router)
  return new ComposeProvider({
    app,
    environment: inputs.environment,
    strategy: inputs.strategy,
    hosts: deps.hosts,
    composeFile: composeFile.path,
    composeFormatVersion: composeFile.formatVersion,
    envFile,
    secretEnv,
    hostPort,
    healthPath: inputs.healthPath,
    healthCheck,
    parallel: inputs.parallel,
    commandTimeoutMs: deps.commandTimeoutMs ?? 600_000,
    projectRoot: deps.projectRoot,
    tempDir: inputs.tempDir,
    transportFor: deps.transportFor,
    router: deps.router,
    redactor: deps.redactor
  })
}

/** The compose file must exist and hold a `services` mapping with at least one service. */
function readComposeFile(path: string | undefined): { path: string; formatVersion?: string } {
  const expected = 'a compose file on the runner with at least one service under `services:`'
  if (!path) throw new InputError('compose-file', expected, path)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new InputError('compose-file', `${expected} (the file is missing or unreadable)`, path)
  }
  let document: unknown
  try {
    document = parse(text)
  } catch (error) {
    if (error instanceof ParserNotLoadedError) throw error
    throw new InputError('compose-file', `${expected} (YAML: ${(error as Error).message})`, path)
  }
  const services = (document as { services?: unknown } | null)?.services
  if (typeof services !== 'object' || services === null || Object.keys(services).length === 0)
    throw new InputError('compose-file', expected, path)
  return { path, formatVersion: composeFormatVersion(text) }
}
