import { readFile } from 'node:fs/promises'
import type { Redactor } from '@slipway/kit'
import {
  artifactProbe,
  commandProbe,
  configSchemaProbe,
  diskProbe,
  dnsProbe,
  envProbe,
  freezeProbe,
  httpProbe,
  memoryProbe,
  tcpProbe,
  tlsProbe,
  type Check,
  type ProbeContext,
  type ProbeOutcome
} from '@slipway/probes'
import type { CheckDefinition, TlsCheckSpec } from './definitions.js'
import type { CommitChecks, DeploymentActivity } from './ports.js'

/** What checks need from the outside world; everything is passed in, nothing is global. */
export interface Runtime {
  /** The step's environment (env checks, command checks). */
  env: NodeJS.ProcessEnv
  /** Secrets removed from command output. */
  redactor?: Redactor
  /** For github-checks. */
  commitChecks?: CommitChecks
  /** For deployment-lock. */
  deploymentActivity?: DeploymentActivity
  /** This workflow run (GITHUB_RUN_ID), left out of github-checks and deployment-lock. */
  currentRunId?: number
  now?: () => number
}

/** Binds a definition to its probe. */
export function toCheck(definition: CheckDefinition, runtime: Runtime): Check {
  const { name, type, severity, timeoutMs, retries, retryDelayMs } = definition
  return {
    name,
    type,
    severity,
    timeoutMs,
    retries,
    retryDelayMs,
    // async: a probe that throws before its first await fails its check, not the whole run.
    run: async context => probe(definition, runtime, context)
  }
}

function probe(
  definition: CheckDefinition,
  runtime: Runtime,
  context: ProbeContext
): Promise<ProbeOutcome> {
  switch (definition.type) {
    case 'http':
      return httpProbe(definition.spec, context)
    case 'tcp':
      return tcpProbe(definition.spec, context)
    case 'dns':
      return dnsProbe(definition.spec, context)
    case 'tls':
      return tlsCheck(definition.spec, context, runtime)
    case 'command':
      return commandProbe({ ...definition.spec, redactor: runtime.redactor }, context)
    case 'env':
      return envProbe({ ...definition.spec, env: runtime.env }, context)
    case 'config-schema':
      return configSchemaProbe(definition.spec, context)
    case 'artifact':
      return artifactProbe(definition.spec, context)
    case 'disk':
      return diskProbe(definition.spec, context)
    case 'memory':
      return memoryProbe(definition.spec, context)
    case 'freeze':
      return freezeProbe({ ...definition.spec, now: runtime.now }, context)
    case 'github-checks':
      return configured(runtime.commitChecks, 'commit checks').evaluate(
        { ...definition.spec, currentRunId: runtime.currentRunId },
        context
      )
    case 'deployment-lock':
      return configured(runtime.deploymentActivity, 'deployment activity').lock(
        { ...definition.spec, currentRunId: runtime.currentRunId, now: runtime.now },
        context
      )
  }
}

async function tlsCheck(
  spec: TlsCheckSpec,
  context: ProbeContext,
  runtime: Runtime
): Promise<ProbeOutcome> {
  let ca: string | undefined
  if (spec.caFile) {
    try {
      ca = await readFile(spec.caFile, 'utf8')
    } catch (error) {
      return {
        ok: false,
        message: `cannot read the CA file ${spec.caFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
      }
    }
  }
  const { caFile: _caFile, ...rest } = spec
  return tlsProbe({ ...rest, ca, now: runtime.now }, context)
}

/** A check whose port is missing fails (closed): a gate that did not run did not pass. */
function configured<Port>(port: Port | undefined, what: string): Port {
  if (!port) throw new Error(`nothing to read the ${what} from was configured`)
  return port
}
