import { pipelineCommand, stageCommand, type CommandRun } from './run-stage.js'

export interface Command {
  /** Parses the command's settings and runs its stage (the package, not the action). */
  run?: CommandRun
  summary: string
  examples: string[]
  /** The config file stage whose section fills this command's inputs. */
  stage?: 'preflight' | 'backup' | 'deploy' | 'smoke' | 'release' | 'rollback'
}

/** Each command runs its stage through the stage registry, as the actions do: one set of semantics everywhere. */
export const COMMANDS: Record<string, Command> = {
  preflight: {
    run: stageCommand('preflight'),
    stage: 'preflight',
    summary:
      'Check the target before deploying: HTTP/TCP/DNS/TLS, variables, config schema, artifact, disk, freeze windows.',
    examples: [
      'slipway preflight --http-url https://staging.example.com/health --tls staging.example.com:443',
      'slipway preflight --config slipway.yml --environment staging --json'
    ]
  },
  backup: {
    run: stageCommand('backup'),
    stage: 'backup',
    summary: 'Back up (or restore, verify, list, prune) a database or directories to a store.',
    examples: [
      'slipway backup --database-url postgres://app@db/app --store dir --path /var/backups/app --verify',
      'slipway backup --operation restore --backup-id latest --store dir --path /var/backups/app --database-url sqlite:///srv/app.db'
    ]
  },
  deploy: {
    run: stageCommand('deploy'),
    stage: 'deploy',
    summary:
      'Deploy a version blue-green, canary or rolling through the script or nginx provider; records the deployment.',
    examples: [
      "slipway deploy --strategy blue-green --version 1.4.0 --environment staging --prepare-command './deploy.sh prepare' --route-command './deploy.sh route' --health-url http://localhost:8080/health",
      'slipway deploy --config slipway.yml --environment production --version 1.4.0 --dry-run'
    ]
  },
  smoke: {
    run: stageCommand('smoke'),
    stage: 'smoke',
    summary:
      'Smoke-test a deployment over HTTP, optionally with a short load check and a watch window.',
    examples: [
      'slipway smoke --url https://staging.example.com/health --expect-status 200 --timeout 2m',
      'slipway smoke --config slipway.yml --environment staging --junit-path smoke.xml'
    ]
  },
  release: {
    run: stageCommand('release'),
    stage: 'release',
    summary:
      'Tag the next SemVer from Conventional Commits and publish the release with notes and assets.',
    examples: [
      'slipway release --dry-run',
      'slipway release --assets "dist/*.tar.gz" --prerelease rc   # no token: tags in git, release in .slipway/ledger.json'
    ]
  },
  rollback: {
    run: stageCommand('rollback'),
    stage: 'rollback',
    summary:
      'Return an environment to its last good version (from the deployment history), optionally restoring data.',
    examples: [
      "slipway rollback --environment production --route-command './deploy.sh route' --reason 'error rate'",
      'slipway rollback --environment staging --version 1.3.2 --dry-run'
    ]
  },
  report: {
    run: stageCommand('report'),
    summary:
      "The deployment report and the environment's quality figures (success rates, deploy time, MTTR, …).",
    examples: [
      'slipway report --environment production --window 30d',
      'slipway report --environment production --window all --json --report-file report.json'
    ]
  },
  status: {
    // Runs no stage: it reads the deployment records (see status/command.ts).
    summary:
      'What is live per environment: version, since when, by which run, slot and traffic, deploys under way, the last deployments.',
    examples: [
      'slipway status',
      'slipway status --environment production --watch --interval 10s',
      'slipway status --environment staging,production --limit 10 --json'
    ]
  },
  pipeline: {
    run: pipelineCommand,
    summary:
      'Run preflight → backup → deploy → smoke → release in one go, rolling back on failure.',
    examples: [
      'slipway pipeline --config slipway.yml --environment staging --version 1.4.0',
      'slipway pipeline --config slipway.yml --environment production --version 1.4.0 --dry-run --json'
    ]
  }
}
