import type { Inputs } from '@slipway/kit'
import type { AnyStage } from './run.js'

/** Values per stage input, as text (what a `with:` would hold). */
export type StageValues = Partial<Record<AnyStage, Record<string, string | undefined>>>

export interface RootInputs {
  configFile?: string
  environment: string
  version: string
  stages: string[]
  dryRun: boolean
  token?: string
  rollbackOnFailure: boolean
  /** The root inputs that pass through to stages, under each stage's own input names. */
  explicit: StageValues
  /**
   * The secret inputs given here, masked before anything runs: the rollback that would use
   * the key or the age identity is parsed only when it runs, long after the first log line.
   */
  secrets: string[]
}

/**
 * Reads the all-in-one action's inputs. The common settings of each stage are inputs here
 * under the stage action's names (prefixed where two stages share a name); everything else
 * comes from the config file's sections.
 */
export function readRootInputs(inputs: Inputs): RootInputs {
  const environment = inputs.string('environment', { default: 'production' })
  const deploy = {
    strategy: inputs.string('strategy'),
    provider: inputs.string('provider'),
    targets: inputs.string('targets'),
    artifact: inputs.string('artifact'),
    'prepare-command': inputs.string('prepare-command'),
    'route-command': inputs.string('route-command'),
    'retire-command': inputs.string('retire-command'),
    'current-command': inputs.string('current-command'),
    'health-url': inputs.string('health-url'),
    'health-command': inputs.string('health-command'),
    'health-check': inputs.string('health-check'),
    'keep-previous': inputs.string('keep-previous'),
    'migrate-command': inputs.string('migrate-command'),
    'environment-url': inputs.string('environment-url'),
    // docker/compose, under the stage actions' own names
    app: inputs.string('app'),
    image: inputs.string('image'),
    'image-archive': inputs.string('image-archive'),
    registry: inputs.string('registry'),
    'registry-username': inputs.string('registry-username'),
    'registry-password': inputs.string('registry-password'),
    hosts: inputs.string('hosts'),
    port: inputs.string('port'),
    'host-port': inputs.string('host-port'),
    'publish-address': inputs.string('publish-address'),
    'env-file': inputs.string('env-file'),
    'secret-env': inputs.string('secret-env'),
    volumes: inputs.string('volumes'),
    labels: inputs.string('labels'),
    cmd: inputs.string('cmd'),
    memory: inputs.string('memory'),
    cpus: inputs.string('cpus'),
    network: inputs.string('network'),
    restart: inputs.string('restart'),
    'keep-versions': inputs.string('keep-versions'),
    parallel: inputs.string('parallel'),
    'router-scope': inputs.string('router-scope'),
    'compose-file': inputs.string('compose-file'),
    router: inputs.string('router'),
    'known-hosts': inputs.string('known-hosts'),
    'ssh-private-key': inputs.string('ssh-private-key'),
    // the router in front of the hosts (docs/routers.md), under deploy-strategy's names
    'router-host': inputs.string('router-host'),
    'haproxy-socket': inputs.string('haproxy-socket'),
    'haproxy-backend': inputs.string('haproxy-backend'),
    'haproxy-config': inputs.string('haproxy-config'),
    'haproxy-backend-file': inputs.string('haproxy-backend-file'),
    'haproxy-state-file': inputs.string('haproxy-state-file'),
    'haproxy-server-options': inputs.string('haproxy-server-options'),
    'haproxy-drain-timeout': inputs.string('haproxy-drain-timeout'),
    'haproxy-relay': inputs.string('haproxy-relay')
  }
  const databaseUrl = inputs.string('database-url')
  const backupPath = inputs.string('backup-path')
  // Decrypts the backups: the backup stage verifies with it, the rollback restores with it.
  const ageIdentity = inputs.string('age-identity')
  // The team's Alertmanager judges both the canary analysis and the watch window.
  const alerting = {
    'alertmanager-url': inputs.string('alertmanager-url'),
    'alert-matchers': inputs.string('alert-matchers'),
    'silence-matchers': inputs.string('silence-matchers'),
    'on-monitoring-unavailable': inputs.string('on-monitoring-unavailable'),
    'alerts-firing-before': inputs.string('alerts-firing-before')
  }
  // The migration is rehearsed on a scratch copy of the backup this run takes ('latest' is
  // named exactly once the backup stage has run), on the same database and store.
  const rehearsal = {
    'rehearse-from':
      inputs.string('rehearse-from') ??
      (deploy['migrate-command'] && backupPath && databaseUrl ? 'latest' : undefined),
    'allow-destructive-migration': inputs.string('allow-destructive-migration'),
    'down-command': inputs.string('down-command'),
    'rehearsal-database-url-env': inputs.string('rehearsal-database-url-env'),
    'database-url': databaseUrl,
    'backup-path': backupPath,
    'age-identity': ageIdentity
  }
  const pushgatewayUrl = inputs.string('pushgateway-url')
  const smokeUrl = inputs.string('smoke-url')
  const smokeBody = inputs.string('smoke-expect-body')
  const smokeTimeout = inputs.string('smoke-timeout')
  const { 'migrate-command': _migrate, ...provider } = deploy
  void _migrate
  const secrets = [
    deploy['ssh-private-key'],
    deploy['registry-password'],
    deploy['secret-env'],
    databaseUrl,
    ageIdentity
  ].filter((value): value is string => Boolean(value))
  return {
    secrets,
    configFile: inputs.string('config-file'),
    environment,
    version: inputs.requiredString('version'),
    stages: inputs.list('stages'),
    dryRun: inputs.bool('dry-run'),
    token: inputs.string('github-token'),
    rollbackOnFailure: inputs.bool('rollback-on-failure', true),
    explicit: {
      preflight: { checks: inputs.string('preflight-checks') },
      backup: { 'database-url': databaseUrl, path: backupPath, 'age-identity': ageIdentity },
      deploy: { ...deploy, ...rehearsal, ...alerting, 'pushgateway-url': pushgatewayUrl },
      smoke: { url: smokeUrl, 'expect-body': smokeBody, timeout: smokeTimeout, ...alerting },
      release: {
        'working-directory': inputs.string('working-directory'),
        prerelease: inputs.string('prerelease')
      },
      rollback: {
        ...provider,
        'restore-data': inputs.string('restore-data'),
        'database-url': databaseUrl,
        'backup-path': backupPath,
        'age-identity': ageIdentity,
        'smoke-url': smokeUrl,
        'smoke-expect-body': smokeBody,
        'smoke-timeout': smokeTimeout
      }
    }
  }
}
