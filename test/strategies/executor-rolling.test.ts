// Rolling fails closed across the fleet (issue #14), driven in memory: the failed batch goes
// back first, then every host an earlier batch moved, most recent first, each behind the gate.
import { describe, expect, test } from '@jest/globals'
import { deploy, fleetLive, hosts, request, rolling } from './helpers.js'

const inService = 'route web1=1 web2=1 web3=1'
const batchOf = (host: string, version: string, drained: string): string[] => [
  `route ${drained}`,
  `prepare ${host} ${version}`,
  `health ${host} ${version}`,
  inService
]

describe('rolling failure paths', () => {
  test('a batch fails its gate: it is restored, then the earlier batches, last first', async () => {
    const { calls, result, plan } = await deploy(hosts, fleetLive, request(rolling), {
      health: (name, version) =>
        name === 'web3' && version === 'v2'
          ? { ok: false, fatal: true, message: 'exited (code 3)' }
          : undefined
    })
    expect(plan.onFailure.map(s => (s.kind === 'restore' ? s.batch : s.kind))).toEqual([3, 2, 1])
    expect(calls).toEqual([
      ...batchOf('web1', 'v2', 'web1=0 web2=1 web3=1'),
      ...batchOf('web2', 'v2', 'web1=1 web2=0 web3=1'),
      'route web1=1 web2=1 web3=0',
      'prepare web3 v2',
      'health web3 v2',
      // the failure path: evidence, the failed batch back on v1 and in service …
      'diagnose web3 v2',
      'prepare web3 v1',
      'health web3 v1',
      inService,
      // … then the moved hosts, most recent first, each drained before it is replaced
      ...batchOf('web2', 'v1', 'web1=1 web2=0 web3=1'),
      ...batchOf('web1', 'v1', 'web1=0 web2=1 web3=1')
    ])
    expect(result.status).toBe('failure')
    expect(result.error).toBe(
      'health gate failed after 1 check(s) (web3 cannot become healthy): exited (code 3)'
    )
    expect(result.diagnostics).toEqual([{ target: 'web3', text: 'last lines of web3 v2' }])
  })

  test('migrate fails after the first batch: that batch goes back; later batches are never touched', async () => {
    const { calls, result, plan } = await deploy(
      hosts,
      fleetLive,
      request(rolling, {
        migrateCommand: './migrate.sh',
        migrate: () => Promise.reject(new Error('lock timeout'))
      })
    )
    expect(plan.steps[4]).toEqual({
      kind: 'migrate',
      command: './migrate.sh',
      when: 'after-first-batch'
    })
    expect(calls).toEqual([
      ...batchOf('web1', 'v2', 'web1=0 web2=1 web3=1'),
      ...batchOf('web1', 'v1', 'web1=0 web2=1 web3=1')
    ])
    expect(result.error).toBe('migrate-command failed (no traffic moved): lock timeout')
    expect(result.diagnostics).toBeUndefined()
  })

  test('a host that cannot be restored stays drained and is named; the others are restored', async () => {
    const { calls, result } = await deploy(hosts, fleetLive, request(rolling), {
      prepare: name => (name === 'web2' ? `no space left on ${name}` : undefined)
    })
    expect(calls).toEqual([
      ...batchOf('web1', 'v2', 'web1=0 web2=1 web3=1'),
      'route web1=1 web2=0 web3=1',
      'prepare web2 v2',
      'diagnose web2 v2',
      'prepare web2 v1',
      // web2 stays out of service: the route for the failed batch leaves it drained
      'route web1=1 web2=0 web3=1',
      'route web1=0 web2=0 web3=1',
      'prepare web1 v1',
      'health web1 v1',
      'route web1=1 web2=0 web3=1'
    ])
    expect(result.error).toBe('no space left on web2')
    expect(result.timeline.filter(e => e.step === 'restore' && !e.ok)).toEqual([
      expect.objectContaining({
        detail: 'web2 could not be restored to v1 (left drained): no space left on web2'
      })
    ])
  })

  test('a routing update refused during the restore is reported; that host is left as it is', async () => {
    const { calls, result } = await deploy(hosts, fleetLive, request(rolling), {
      health: (name, version) =>
        name === 'web2' && version === 'v2'
          ? { ok: false, fatal: true, message: 'down' }
          : undefined,
      // the route that would drain web1 for its restore (5th call) is refused
      route: call => (call === 5 ? 'router unreachable' : undefined)
    })
    expect(calls.slice(-3)).toEqual(['health web2 v1', inService, 'route web1=0 web2=1 web3=1'])
    expect(result.timeline.filter(e => !e.ok).map(e => e.detail)).toEqual([
      expect.stringMatching(/^health gate failed/),
      'routing update failed (drained web1): router unreachable'
    ])
  })

  test('a first rollout has nothing to return to: moved hosts keep the version that passed', async () => {
    const { calls, result } = await deploy(hosts, {}, request(rolling), {
      health: (name, version) =>
        name === 'web2' && version === 'v2'
          ? { ok: false, fatal: true, message: 'down' }
          : undefined
    })
    expect(calls.slice(-3)).toEqual([
      'health web2 v2',
      'diagnose web2 v2',
      'route web1=1 web2=0 web3=1'
    ])
    expect(result.timeline.filter(e => e.step === 'restore').map(e => e.detail)).toEqual([
      'web2: no previous version; left drained',
      'failed batch: web1=in, web2=drained, web3=in',
      'web1 stays on v2: no previous version to return to'
    ])
  })
})
