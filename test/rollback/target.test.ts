import { describe, expect, test } from '@jest/globals'
import type { DeploymentRecord, DeploymentState } from '@slipway/deployments'
import { InputError, UserError } from '@slipway/kit'
import { chooseRollback } from '@slipway/rollback'

let nextId = 1
function record(
  version: string,
  states: (DeploymentState | [DeploymentState, string])[],
  payload: Record<string, unknown> = {}
): DeploymentRecord {
  const id = nextId++
  const statuses = states.map((s, i) => {
    const [state, description] = Array.isArray(s) ? s : [s, '']
    return { id: id * 100 + i, state, description, createdAt: `2026-01-01T00:00:0${i}Z` }
  })
  return {
    id,
    ref: version,
    sha: 'abc',
    environment: 'prod',
    createdAt: '2026-01-01T00:00:00Z',
    payload: { version, strategy: 'blue-green', ...payload },
    statuses,
    state: statuses.at(-1)?.state
  }
}

describe('chooseRollback', () => {
  test('takes a success from the history, not only the latest status (auto_inactive)', () => {
    const v1 = record('v1', ['in_progress', 'success', 'inactive'])
    const v2 = record('v2', ['in_progress', 'success'])
    const choice = chooseRollback('prod', [v2, v1])
    expect(choice.from.id).toBe(v2.id)
    expect(choice.target.id).toBe(v1.id)
    expect(choice.bad.map(d => d.id)).toEqual([v2.id])
  })

  test('skips deployments that never succeeded, were rolled back, or run the bad version', () => {
    const v1 = record('v1', ['success', 'inactive'])
    const v2 = record('v2', ['success', ['failure', 'rolled back to v1 by deployment #9']])
    const v3 = record('v3', ['in_progress', 'failure'])
    const v4old = record('v4', ['success', 'inactive'])
    const v4 = record('v4', ['success'])
    const choice = chooseRollback('prod', [v4, v4old, v3, v2, v1])
    expect(choice.target.id).toBe(v1.id)
    expect(choice.bad.map(d => d.id)).toEqual([v4.id, v4old.id])
  })

  test('a rollback deployment names what it replaced (rollback_of)', () => {
    const v1 = record('v1', ['success', 'inactive'])
    const v2 = record('v2', ['success', 'inactive'])
    const v3 = record('v3', ['success', 'inactive'])
    const back = record('v2', ['in_progress', 'success'], { rollback_of: v3.id })
    const choice = chooseRollback('prod', [back, v3, v2, v1])
    expect(choice.from.id).toBe(back.id)
    expect(choice.target.id).toBe(v1.id)
    expect(choice.bad.map(d => d.id)).toEqual([back.id, v2.id])
  })

  test('an explicit version or deployment id; clear errors otherwise', () => {
    const v1 = record('v1', ['success', 'inactive'])
    const v2 = record('v2', ['success', 'inactive'])
    const v3 = record('v3', ['success'])
    expect(chooseRollback('prod', [v3, v2, v1], { version: 'v1' }).target.id).toBe(v1.id)
    expect(chooseRollback('prod', [v3, v2, v1], { fromId: v2.id }).target.id).toBe(v1.id)
    expect(() => chooseRollback('prod', [v3, v2, v1], { version: 'v9' })).toThrow(InputError)
    expect(() => chooseRollback('prod', [v3, v2, v1], { version: 'v9' })).toThrow(
      /'version'.*v2, v1/
    )
    expect(() => chooseRollback('prod', [v3, v2, v1], { version: 'v3' })).toThrow(/other than/)
    expect(() => chooseRollback('prod', [v3, v2, v1], { fromId: 12345 })).toThrow(/deployment-id/)
    expect(() => chooseRollback('prod', [])).toThrow(
      /No deployments are recorded for environment prod/
    )
    expect(() => chooseRollback('prod', [v1])).toThrow(/No earlier successful deployment of prod/)
    // Nothing to go back to is the user's to fix (an environment name, an explicit version).
    expect(() => chooseRollback('prod', [])).toThrow(UserError)
    expect(() => chooseRollback('prod', [v1])).toThrow(UserError)
  })
})

describe('rollback inputs follow deploy-strategy', () => {
  test('every provider input of deploy-strategy that a rollback needs is declared with the same default', async () => {
    const { readFileSync } = await import('node:fs')
    const { parse } = await import('yaml')
    type Spec = Record<string, { default?: unknown; description: string }>
    const read = (path: string): Spec =>
      (parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as { inputs: Spec })
        .inputs
    const deploy = read('actions/deploy-strategy/action.yml')
    const rollback = read('actions/rollback/action.yml')
    // Inputs a rollback does not take: it reads them from the Deployment history or never needs them.
    const notForRollback = new Set([
      'strategy',
      'version',
      'environment',
      'artifact',
      'dry-run',
      'switch',
      'steps',
      'interval',
      'measure-every',
      'failure-limit',
      'consecutive-successes',
      'analysis-url',
      'analysis-requests',
      'max-error-rate',
      'max-latency',
      'prometheus-url',
      'prometheus-query',
      'prometheus-min',
      'prometheus-max',
      // the rehearsal runs before a deploy; a rollback runs the recorded, rehearsed down-command
      'rehearse-from',
      'rehearsal-database-url-env',
      'allow-destructive-migration',
      'down-command',
      'rehearsal-timeout',
      // the team's Alertmanager judges a canary; a rollback moves traffic at once
      'alertmanager-url',
      'alert-matchers',
      'silence-matchers',
      'on-monitoring-unavailable',
      'alerts-firing-before',
      'migrate-command',
      'record-deployment',
      'github-token',
      'deployment-id',
      'backup-id',
      'environment-url',
      'production-environment',
      'transient-environment',
      'config-file'
    ])
    const missing = Object.keys(deploy).filter(
      name => !notForRollback.has(name) && !(name in rollback)
    )
    expect(missing).toEqual([])
    // rollback declares no defaults (the runner would pass them and hide the config file's
    // values): its descriptions state them, and they must be deploy-strategy's
    const stated = (description: string): string =>
      /Default: `([^`]*)`\.\s*$/.exec(description.trim())?.[1] ?? ''
    const defaults = Object.keys(deploy)
      .filter(name => name in rollback && !notForRollback.has(name) && name !== 'keep-previous')
      // deploy-strategy may also only state a default (the helm inputs: a declared one would be
      // passed by the runner and read as given, which Helm mode refuses without helm-chart)
      .filter(
        name =>
          String(deploy[name].default ?? stated(deploy[name].description)) !==
          stated(rollback[name].description)
      )
    expect(defaults).toEqual([])
  })

  test('rollback declares no defaults a config file could not override', async () => {
    const { readFileSync } = await import('node:fs')
    const { parse } = await import('yaml')
    const rollback = (
      parse(
        readFileSync(new URL('../../actions/rollback/action.yml', import.meta.url), 'utf8')
      ) as { inputs: Record<string, { default?: unknown }> }
    ).inputs
    const declared = Object.entries(rollback)
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name]) => name)
    // the token is an expression the file may not hold; the environment picks the file's section
    expect(declared).toEqual(['environment', 'github-token'])
  })
})
