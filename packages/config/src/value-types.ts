import { FALSE_TEXTS, TRUE_TEXTS } from '@slipway/kit'
import type { Stage } from './stages.js'

/**
 * The form of an input's value, as its reader in the stage packages accepts it. The config
 * schema is built from this table so that editors flag `bluegreen` or `10 sec` as the step
 * would; test/config/value-types.test.ts reads every reader call with the TypeScript checker
 * and fails when this table and the readers disagree, so neither can drift alone.
 */
export type ValueType =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'duration' }
  | { kind: 'boolean' }
  | { kind: 'integer' }

const oneOf = (...values: string[]): ValueType => ({ kind: 'enum', values })
const duration: ValueType = { kind: 'duration' }
const boolean: ValueType = { kind: 'boolean' }
const integer: ValueType = { kind: 'integer' }

/**
 * What `inputs.duration` accepts (kit's parseDuration): a bare number of seconds, or amounts
 * with units, summed (`1h30m`), surrounding blanks trimmed.
 */
export const DURATION_PATTERN = '^\\s*(?:\\d+(?:\\.\\d+)?|(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+)\\s*$'
export const DURATION_FORM = 'a duration such as 30s, 5m or 1h30m'
/** What `inputs.int` accepts. */
export const INTEGER_PATTERN = '^\\s*-?\\d+\\s*$'

/** Inputs of the same form in every stage that declares them. */
const VALUE_TYPES: Record<string, ValueType> = {
  // enums
  attribution: oneOf('paths', 'paths-and-scopes'),
  compression: oneOf('auto', 'gzip', 'zstd', 'none'),
  'fail-on': oneOf('error', 'never'),
  'haproxy-relay': oneOf('perl', 'socat'),
  'health-check': oneOf('auto', 'http', 'tcp', 'command', 'none'),
  'make-latest': oneOf('true', 'false', 'legacy'),
  mode: oneOf('release', 'pull-request'),
  operation: oneOf('backup', 'restore', 'verify', 'list', 'prune'),
  provider: oneOf('script', 'nginx', 'docker', 'compose', 'kubernetes'),
  router: oneOf('provider', 'haproxy', 'nginx'),
  'router-scope': oneOf('fleet', 'per-host'),
  store: oneOf('dir', 'artifact'),
  strategy: oneOf('blue-green', 'canary', 'rolling'),
  'webhook-format': oneOf('slack', 'teams', 'json'),
  // durations
  'backup-timeout': duration,
  'drain-delay': duration,
  'haproxy-drain-timeout': duration,
  'health-interval': duration,
  'health-timeout': duration,
  'hook-timeout': duration,
  interval: duration,
  'keep-previous': duration,
  'load-duration': duration,
  'load-max-p95': duration,
  'load-max-p99': duration,
  'max-age': duration,
  'max-latency': duration,
  'measure-every': duration,
  'rehearsal-timeout': duration,
  'request-timeout': duration,
  'retry-delay': duration,
  'retry-interval': duration,
  'smoke-timeout': duration,
  timeout: duration,
  watch: duration,
  'watch-interval': duration,
  // booleans
  'allow-destructive-migration': boolean,
  'allow-unencrypted-artifact': boolean,
  'bump-major-pre-major': boolean,
  checksums: boolean,
  clean: boolean,
  'deployment-lock': boolean,
  'dry-run': boolean,
  'follow-redirects': boolean,
  'github-checks': boolean,
  'helm-test': boolean,
  insecure: boolean,
  'major-tag': boolean,
  'mark-release': boolean,
  'record-deployment': boolean,
  'release-prerelease': boolean,
  'restore-data': boolean,
  switch: boolean,
  'transient-environment': boolean,
  'use-git': boolean,
  verify: boolean,
  // integers
  'analysis-requests': integer,
  'artifact-run-id': integer,
  concurrency: integer,
  'consecutive-successes': integer,
  'deployment-id': integer,
  'failure-limit': integer,
  'host-port': integer,
  'keep-last': integer,
  'keep-versions': integer,
  'load-connections': integer,
  'load-max-requests': integer,
  'load-rate': integer,
  'max-parallel': integer,
  parallel: integer,
  port: integer,
  replicas: integer,
  'retention-days': integer,
  retries: integer,
  'tls-min-days': integer
}

/** Inputs whose form depends on the stage: deploy reads `production-environment` as a name. */
const STAGE_VALUE_TYPES: Partial<Record<Stage, Record<string, ValueType | null>>> = {
  rollback: { 'production-environment': boolean }
}

/** Every input the table gives a form, for the test that keeps it free of stale entries. */
export const TYPED_INPUTS: readonly string[] = [
  ...Object.keys(VALUE_TYPES),
  ...Object.values(STAGE_VALUE_TYPES).flatMap(section => Object.keys(section ?? {}))
]

/** The form of `input` in `stage`'s section, or undefined for free text (and lists, YAML…). */
export function valueTypeOf(stage: Stage, input: string): ValueType | undefined {
  const special = STAGE_VALUE_TYPES[stage]
  if (special && input in special) return special[input] ?? undefined
  return VALUE_TYPES[input]
}

/**
 * The JSON Schema of a value of that form. A config value reaches the reader as text
 * (`String(value)`), so YAML's own numbers and booleans are accepted where their text is.
 * `patternErrorMessage` is the YAML language server's keyword for a readable pattern error.
 */
export function valueSchema(type: ValueType): Record<string, unknown> {
  switch (type.kind) {
    case 'enum': {
      const yamlBooleans = type.values
        .filter(v => v === 'true' || v === 'false')
        .map(v => v === 'true')
      return {
        type: yamlBooleans.length ? ['string', 'boolean'] : 'string',
        enum: [...type.values, ...yamlBooleans]
      }
    }
    case 'duration':
      return {
        type: ['string', 'number'],
        minimum: 0,
        pattern: DURATION_PATTERN,
        patternErrorMessage: DURATION_FORM
      }
    case 'boolean':
      return { type: ['boolean', 'string'], enum: [true, false, ...TRUE_TEXTS, ...FALSE_TEXTS] }
    case 'integer':
      return {
        type: ['integer', 'string'],
        pattern: INTEGER_PATTERN,
        patternErrorMessage: 'a whole number'
      }
  }
}
