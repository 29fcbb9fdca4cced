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
export { withRouter } from './with-router.js'
export {
  HaproxyTrafficRouter,
  withHaproxy,
  haproxyRouterFromInputs,
  type HaproxyTrafficRouterOptions,
  type HaproxyInputs
} from './haproxy.js'
export { DockerProvider } from './docker/provider.js'
export { buildDockerProvider, type DockerProviderDeps } from './docker/build.js'
export { FanoutRouter, type FanoutRouterOptions, type InnerRouter } from './docker/fanout-router.js'
export { parseDockerHosts } from './docker/hosts.js'
export { parseImageReference, type ImageReference } from './docker/image-reference.js'
export { readArchiveImage, parseArchiveManifest, type ArchiveImage } from './docker/archive.js'
export { containerName, containerLabels, LABEL as DOCKER_LABEL } from './docker/container-names.js'
export { DockerCli, DOCKER_COMMAND, encodeArgs } from './docker/docker-cli.js'
export type {
  DockerHost,
  DockerInputs,
  DockerProviderOptions,
  ImageSource,
  ContainerSpec,
  DockerRouting
} from './docker/options.js'
export { haproxyInner, nginxInner } from './docker/inner-routers.js'
export {
  ComposeProvider,
  buildComposeProvider,
  type ComposeProviderOptions,
  type ComposeDeps
} from './docker-compose/index.js'
export {
  KubernetesProvider,
  buildKubernetesProvider,
  KubernetesRouter,
  rolloutOutcome,
  schemaViolation,
  KUBERNETES_LABEL,
  KUBERNETES_ANNOTATION,
  type KubernetesProviderDeps,
  type KubernetesInputs,
  type KubernetesStrategy
} from './kubernetes/index.js'
