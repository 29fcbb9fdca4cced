export type {
  Probe,
  ProbeContext,
  ProbeOutcome,
  Check,
  CheckResult,
  CheckStatus,
  Severity
} from './types.js'
export { runChecks, runOne, describeError, sleep, tally, type RunChecksOptions } from './runner.js'
export {
  httpProbe,
  validateHttpSpec,
  displayUrl,
  describeFetchError,
  type HttpSpec
} from './http.js'
export {
  parseStatusList,
  statusMatches,
  formatStatusList,
  compileRegex,
  evaluateAssertions,
  validateAssertions,
  HttpSpecError,
  DEFAULT_EXPECT_STATUS,
  type StatusRange,
  type StatusSpec,
  type JsonAssertion,
  type HeaderAssertion,
  type AssertionSpec,
  type AssertionFailure
} from './http-assertions.js'
export { tcpProbe, parseHostPort, formatHostPort, type TcpSpec } from './tcp.js'
export { dnsProbe, isReservedInvalid, type DnsSpec } from './dns.js'
export { tlsProbe, describeCertificate, type TlsSpec, type CertificateDetails } from './tls.js'
export { commandProbe, type CommandSpec } from './command.js'
export { envProbe, type EnvSpec } from './env.js'
export { configSchemaProbe, type ConfigSchemaSpec } from './config-schema.js'
export { artifactProbe, sha256File, checksumFor, type ArtifactSpec } from './artifact.js'
export {
  diskProbe,
  memoryProbe,
  parseSize,
  formatBytes,
  type DiskSpec,
  type MemorySpec
} from './disk.js'
export { githubChecksProbe, type GitHubChecksSpec } from './github-checks.js'
export {
  deploymentLockProbe,
  judgeDeploymentLock,
  runIdFrom,
  runIdFromPayload,
  type DeploymentLockSpec,
  type LockEntry
} from './deployment-lock.js'
export {
  freezeProbe,
  windowState,
  parseZonedDate,
  zonedWallToUtc,
  isTimeZone,
  validateCron,
  cronProblem,
  type FreezeSpec,
  type FreezeWindow,
  type FreezeRange,
  type FreezeRecurring
} from './freeze.js'
export {
  prometheusProbe,
  queryPrometheus,
  evaluateSamples,
  validatePrometheusSpec,
  prometheusQueryUrl,
  PrometheusSpecError,
  type PrometheusSpec,
  type PrometheusSample
} from './prometheus.js'
