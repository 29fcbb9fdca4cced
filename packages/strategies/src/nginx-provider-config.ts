import { readFileSync } from 'node:fs'
import { InputError } from '@slipway/kit'
import { NginxProvider, type Provider, type Target, type Transport } from '@slipway/providers'
import type { DeployInputs } from './deploy-inputs.js'
import type { ResolvedHealthCheck } from './health-check.js'
import { need } from './required-input.js'
import { SshPool, isLocalDestination, requireSshCredentials } from './ssh-pool.js'

/**
 * With `router: haproxy` HAProxy moves the traffic and nginx's upstream include is never
 * written, so `nginx-upstream-file` is not required. The provider still records which version
 * each target runs, in `<upstream-file>.slipway.json` on the router host: beside Slipway's
 * HAProxy backend file when there is one (a directory the deploy user writes), else under
 * `release-dir`.
 */
function haproxyRoutedStateBase(inputs: DeployInputs): string {
  if (inputs.router !== 'haproxy')
    return need(inputs.upstreamFile, 'nginx-upstream-file', 'the upstream include Slipway writes')
  const [input, base] = inputs.haproxyBackendFile
    ? ['haproxy-backend-file', inputs.haproxyBackendFile]
    : ['release-dir', inputs.releaseDir]
  if (!base.startsWith('/')) throw new InputError(input, 'an absolute path', base)
  return inputs.haproxyBackendFile ? `${base}.nginx` : `${base}/.slipway-nginx`
}

/**
 * The nginx provider: releases on each target (over SSH or here), an upstream include that
 * nginx reloads. Every setting is checked before the provider exists.
 */
export function nginxProvider(
  inputs: DeployInputs,
  targets: Target[],
  local: Transport,
  health: ResolvedHealthCheck
): Provider {
  for (const target of targets) {
    if (!target.address)
      throw new InputError(
        'targets',
        'every nginx target with an address (name=host:port), the upstream server',
        target.name
      )
  }
  const upstreamFile = inputs.upstreamFile ?? haproxyRoutedStateBase(inputs)
  if (!upstreamFile.startsWith('/'))
    throw new InputError('nginx-upstream-file', 'an absolute path', upstreamFile)
  if (!/^[A-Za-z0-9_]+$/.test(inputs.upstreamName))
    throw new InputError(
      'nginx-upstream-name',
      'an nginx upstream name ([A-Za-z0-9_])',
      inputs.upstreamName
    )
  const startCommand = need(
    inputs.startCommand,
    'start-command',
    'the nginx provider starts each release with it'
  )
  const usesSsh = targets.some(t => t.ssh) || !isLocalDestination(inputs.routerHost)
  const credentials = usesSsh
    ? requireSshCredentials(inputs, {
        knownHosts: 'SSH targets need their host keys (ssh-keyscan output you trust)',
        privateKey: 'SSH targets need a private key'
      })
    : undefined
  if (inputs.artifact) {
    try {
      readFileSync(inputs.artifact)
    } catch {
      throw new InputError('artifact', 'a readable file to ship to each host', inputs.artifact)
    }
  }
  const ssh = new SshPool(local, credentials)
  const provider = new NginxProvider({
    targets,
    environment: inputs.environment,
    transportFor: destination => ssh.transportFor(destination),
    routerHost: inputs.routerHost,
    upstreamFile,
    upstreamName: inputs.upstreamName,
    testCommand: inputs.nginxTestCommand,
    reloadCommand: inputs.nginxReloadCommand,
    pidFile: inputs.nginxPidFile,
    releaseDir: inputs.releaseDir,
    artifact: inputs.artifact,
    startCommand,
    stopCommand: inputs.stopCommand,
    healthCommand: inputs.healthCommand,
    healthPath: inputs.healthPath,
    healthCheck: health.kind === 'none' ? undefined : health.kind,
    hookTimeoutMs: inputs.hookTimeoutMs
  })
  provider.close = () => ssh.close()
  return provider
}
