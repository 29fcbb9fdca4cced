import type { Emulator } from '../github-emulator/index.js'

const MIN = 60_000
export const STEP_MS = 40 * MIN

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

type Status = {
  state: 'in_progress' | 'success' | 'failure' | 'inactive'
  at: number
  description?: string
}

/**
 * A known production history, oldest first, with timestamps set exactly:
 * - `count` deployments, one every 40 min from `startMs`; deployment i runs (i % 10 + 1) min
 *   from its in_progress (10 s after creation) to its result;
 * - i % 50 == 7 fails (closed);
 * - i % 100 == 23 succeeds, then a rollback deployment starts 5 min later and succeeds 2 min
 *   after its in_progress (the bad one is marked failure + inactive "rolled back"), except
 *   i == 523 whose rollback fails (the next deployment restores service);
 * - the last deployment is still in_progress;
 * - `older` deployments before the window (3 days before `startMs`), all successful;
 * - 20 staging deployments that the production report must not read.
 */
export function seedHistory(
  gh: Emulator,
  options: { startMs: number; count: number; older?: number }
): void {
  const sha = gh.state.addCommit({ message: 'feat: app' })
  const add = (
    environment: string,
    createdMs: number,
    payload: Record<string, unknown>,
    statuses: Status[]
  ) => {
    const deployment = gh.state.addDeployment({
      ref: String(payload.version),
      sha,
      environment,
      payload
    })
    deployment.created_at = deployment.updated_at = iso(createdMs)
    for (const status of statuses) {
      const record = gh.state.addDeploymentStatus(deployment.id as number, {
        state: status.state,
        description: status.description ?? '',
        auto_inactive: false
      })
      record.created_at = record.updated_at = iso(status.at)
    }
    return deployment.id as number
  }
  for (let k = options.older ?? 0; k > 0; k--) {
    const at = options.startMs - 3 * 86_400_000 - k * 10 * MIN
    add('production', at, { slipway: 1, version: `0.${k}.0`, strategy: 'rolling' }, [
      { state: 'in_progress', at: at + 10_000 },
      { state: 'success', at: at + 70_000 }
    ])
  }
  for (let i = 0; i < 20; i++) {
    const at = options.startMs + i * 7 * MIN
    add('staging', at, { slipway: 1, version: `9.${i}.0`, strategy: 'rolling' }, [
      { state: 'in_progress', at: at + 1000 },
      { state: 'failure', at: at + 2000 }
    ])
  }
  for (let i = 0; i < options.count; i++) {
    const s = options.startMs + i * STEP_MS
    const d = ((i % 10) + 1) * MIN
    const version = `1.${i}.0`
    const payload = { slipway: 1, version, strategy: 'canary' }
    const started = s + 10_000
    const done = started + d
    if (i === options.count - 1) {
      add('production', s, payload, [{ state: 'in_progress', at: started }])
    } else if (i % 50 === 7) {
      add('production', s, payload, [
        { state: 'in_progress', at: started },
        { state: 'failure', at: done }
      ])
    } else if (i % 100 === 23) {
      const rollbackAt = done + 5 * MIN
      const rollbackDone = rollbackAt + 10_000 + 2 * MIN
      const failed = i === 523
      const bad = add(
        'production',
        s,
        payload,
        failed
          ? [
              { state: 'in_progress', at: started },
              { state: 'success', at: done }
            ]
          : [
              { state: 'in_progress', at: started },
              { state: 'success', at: done },
              { state: 'failure', at: rollbackDone - 1000, description: 'rolled back to 1.x' },
              { state: 'inactive', at: rollbackDone - 1000, description: 'rolled back to 1.x' }
            ]
      )
      add(
        'production',
        rollbackAt,
        { slipway: 1, version: `1.${i - 1}.0`, strategy: 'canary', rollback_of: bad },
        [
          { state: 'in_progress', at: rollbackAt + 10_000 },
          { state: failed ? 'failure' : 'success', at: rollbackDone }
        ]
      )
    } else {
      add('production', s, payload, [
        { state: 'in_progress', at: started },
        { state: 'success', at: done }
      ])
    }
  }
}
