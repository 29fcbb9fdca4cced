import type { HaproxyInputs } from '@slipway/providers'

/** The `haproxy-*` deploy inputs, as every provider's HAProxy router reads them. */
export interface HaproxyDeployInputs {
  healthTimeoutMs: number
  routerHost?: string
  haproxySocket?: string
  haproxyBackend?: string
  haproxyConfig?: string
  haproxyBackendFile?: string
  haproxyStateFile?: string
  haproxyServerOptions?: string
  haproxyDrainTimeoutMs?: number
  haproxyRelay?: string
}

/**
 * The HAProxy router's options from the deploy inputs: one mapping for the script/nginx
 * providers' `router: haproxy` and the docker/compose fan-out router. `health-timeout` bounds
 * how long HAProxy may take to report a server up.
 */
export function haproxyInputs(inputs: HaproxyDeployInputs): HaproxyInputs {
  return {
    socket: inputs.haproxySocket,
    backend: inputs.haproxyBackend,
    config: inputs.haproxyConfig,
    backendFile: inputs.haproxyBackendFile,
    stateFile: inputs.haproxyStateFile,
    serverOptions: inputs.haproxyServerOptions,
    drainTimeoutMs: inputs.haproxyDrainTimeoutMs,
    upTimeoutMs: inputs.healthTimeoutMs,
    relay: inputs.haproxyRelay,
    routerHost: inputs.routerHost
  }
}
