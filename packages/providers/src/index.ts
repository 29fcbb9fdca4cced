export type {
  Provider,
  Router,
  Target,
  Weights,
  LiveState,
  TargetState,
  HookContext
} from './types.js'
export { ScriptProvider, envName, type ScriptProviderOptions } from './script.js'
export { NginxProvider, NginxRouter, isSafeVersion, type NginxProviderOptions } from './nginx.js'
export { renderUpstream, parseUpstream } from './nginx-config.js'
export { LocalTransport, type Transport, type ExecResult } from './transport.js'
export { SshTransport, parseDestination, type SshOptions } from './ssh.js'
export { parseKnownHosts, keysFor, isKnownKey } from './known-hosts.js'
export {
  HookError,
  runHook,
  hookHealth,
  urlHealth,
  tcpHealth,
  httpHealth,
  parseCurrent,
  type HealthProbeKind
} from './hooks.js'
export { formatWeights, hookEnv } from './env.js'
export { withRouter } from './compose.js'
export {
  HaproxyTrafficRouter,
  withHaproxy,
  haproxyRouterFromInputs,
  type HaproxyTrafficRouterOptions,
  type HaproxyInputs
} from './haproxy.js'
