export {
  UnixSocketChannel,
  ExecChannel,
  ChannelError,
  REMOTE_RELAY,
  REMOTE_RELAYS,
  type RuntimeChannel,
  type Exec
} from './channel.js'
export {
  RuntimeApi,
  RuntimeCommandError,
  checkName,
  checkWeight,
  checkHost,
  checkPort,
  type AdminState
} from './runtime.js'
export {
  parseServersState,
  parseStat,
  type ServerState,
  type ServerCheck,
  type StatRow
} from './parse.js'
export {
  renderBackend,
  checkBackendSpec,
  withHealthCheck,
  DEFAULT_SERVER_CHECK,
  type BackendSpec,
  type ServerSpec,
  type RenderedServer
} from './config.js'
export { LocalHost, type FileHost } from './host.js'
export {
  HaproxyRouter,
  type HaproxyRouterOptions,
  type PersistOptions,
  type DrainResult,
  type ServerHealth
} from './router.js'
