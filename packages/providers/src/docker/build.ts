import { InputError } from '@slipway/kit'
import type { Provider } from '../types.js'
import { buildCompose } from '../docker-compose/build.js'
import { APP_NAME } from './container-names.js'
import { connections, type DockerProviderDeps } from './connections.js'
import { parseDockerHosts } from './hosts.js'
import { imageSource } from './image-source.js'
import {
  checkInteger,
  checkPattern,
  checkPort,
  checkReadableFile,
  checkVolumes,
  parseCmd,
  parseLabels,
  parseSecretEnv
} from './inputs-check.js'
import type { DockerInputs, DockerProviderOptions } from './options.js'
import { DockerProvider } from './provider.js'
import { buildRouter, checkPublishAddress } from './routing.js'

export type { DockerProviderDeps } from './connections.js'

/**
 * Validates every docker input and builds the provider with its router(s). Throws an
 * InputError naming the input before anything is touched.
 */
export function buildDockerProvider(inputs: DockerInputs, deps: DockerProviderDeps): Provider {
  const redactor = deps.redactor
  redactor?.add(inputs.registryPassword)
  if (inputs.provider === 'compose') return buildCompose(inputs, deps)
  if (inputs.provider !== 'docker')
    throw new InputError('provider', 'docker or compose', inputs.provider)

  const app = (inputs.app || inputs.repository?.split('/').pop() || '').toLowerCase()
  if (!APP_NAME.test(app))
    throw new InputError(
      'app',
      'a name of lower-case letters, digits and _.- (default: the repository name)',
      app
    )

  const image = imageSource(inputs, redactor)
  const hosts = parseDockerHosts(inputs.hosts)
  const port = checkPort('port', inputs.port)
  const hostPort = checkPort(
    'host-port',
    inputs.hostPort,
    inputs.strategy === 'rolling' ? 65535 : 65534
  )
  const publishAddress = checkPublishAddress(
    inputs.publishAddress,
    '127.0.0.1 (default), host, or an IP address of the hosts'
  )
  const envFile = inputs.envFile
    ? checkReadableFile('env-file', inputs.envFile, 'KEY=VALUE lines for the container')
    : undefined
  const secretEnv = parseSecretEnv(inputs.secretEnv, redactor)
  const restart = checkPattern(
    'restart',
    inputs.restart || 'unless-stopped',
    /^(?:no|always|unless-stopped|on-failure(?::\d{1,4})?)$/,
    'no, always, unless-stopped or on-failure[:N]'
  )!
  const healthCheck = inputs.healthCheck
  if (!['auto', 'http', 'tcp', 'none'].includes(healthCheck))
    throw new InputError(
      'health-check',
      'auto, http, tcp or none for the docker provider',
      healthCheck
    )
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (!/^\/[^\s\x00-\x1F\x7F]*$/.test(inputs.healthPath))
    throw new InputError('health-path', 'a path starting with / (no spaces)', inputs.healthPath)
  const transportFor = connections(inputs, deps, hosts)

  const options: DockerProviderOptions = {
    app,
    environment: inputs.environment,
    strategy: inputs.strategy,
    hosts,
    image,
    container: {
      port,
      envFile,
      secretEnv,
      volumes: checkVolumes(inputs.volumes),
      labels: parseLabels(inputs.labels),
      cmd: parseCmd(inputs.cmd),
      memory: checkPattern(
        'memory',
        inputs.memory,
        /^\d+(?:\.\d+)?[bkmgBKMG]?$/,
        'a size such as 512m or 1g'
      ),
      cpus: checkPattern(
        'cpus',
        inputs.cpus,
        /^\d+(?:\.\d+)?$/,
        'a number of CPUs such as 0.5 or 2'
      ),
      network: checkPattern(
        'network',
        inputs.network,
        /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
        'a Docker network name'
      ),
      restart
    },
    publishAddress,
    hostPort,
    healthPath: inputs.healthPath,
    healthCheck: healthCheck === 'none' ? 'auto' : (healthCheck as 'auto' | 'http' | 'tcp'),
    keepVersions: checkInteger('keep-versions', inputs.keepVersions, 1, 100),
    parallel: checkInteger('parallel', inputs.parallel, 0, 1000),
    commandTimeoutMs: Math.max(inputs.hookTimeoutMs, 30_000),
    transportFor,
    redactor,
    log: deps.log,
    tempDir: inputs.tempDir
  }
  const router = buildRouter(inputs, options, transportFor)
  return new DockerProvider(options, router)
}
