import type { ChildProcess } from 'node:child_process'

/**
 * Children die with the action. When a run is cancelled the runner sends SIGINT (then SIGTERM,
 * then SIGKILL to us alone): without a handler, Node exits at once and leaves `pg_restore`,
 * `zstd` or a hook running on the machine, and temporary secret files on disk. The handler,
 * installed once, before the first tracked child is spawned (or with the first cleanup), stops
 * every tracked child (SIGTERM, then SIGKILL after a short grace), runs the registered cleanups,
 * and exits 130 (SIGINT) or 143 (SIGTERM) as a shell would.
 */

type Cleanup = () => void | Promise<void>

const live = new Set<ChildProcess>()
/** Children started as the leader of their own process group: signals go to the whole group. */
const groupLeaders = new WeakSet<ChildProcess>()
const cleanups = new Set<Cleanup>()
let installed = false
let stopping: Promise<number> | undefined

/** How long a child gets between SIGTERM and SIGKILL; the runner's own SIGKILL follows within seconds. */
export const KILL_GRACE_MS = 2000
/** A bound on the cleanups, so a hanging one cannot keep a cancelled action alive. */
const CLEANUP_DEADLINE_MS = 2000

/**
 * Registers a running child; it is forgotten when it exits. Returns the child. `processGroup`:
 * it was spawned `detached` (its own process group), and stopping it stops the whole group.
 */
export function trackChild<T extends ChildProcess>(
  child: T,
  options: { processGroup?: boolean } = {}
): T {
  installSignalHandlers()
  if (options.processGroup) groupLeaders.add(child)
  if (child.exitCode !== null || child.signalCode !== null) return child
  live.add(child)
  const forget = (): void => {
    live.delete(child)
  }
  child.once('exit', forget)
  child.once('error', forget)
  return child
}

/** The children still running, for tests and diagnostics. */
export function trackedChildren(): ChildProcess[] {
  return [...live]
}

/**
 * Registers a cleanup (e.g. removing a temporary secret file) run when the action is
 * interrupted and when the process exits. Call the returned function once the cleanup has run
 * on the normal path. At exit, only synchronous work completes: prefer `rmSync`.
 */
export function onCleanup(cleanup: Cleanup): () => void {
  installSignalHandlers()
  cleanups.add(cleanup)
  return () => {
    cleanups.delete(cleanup)
  }
}

/**
 * Stops every tracked child and runs every cleanup; resolves with the exit code that belongs
 * to the signal. Called by the signal handler; exported so it can be tested without a signal.
 */
export function stopEverything(signal: 'SIGINT' | 'SIGTERM'): Promise<number> {
  stopping ??= (async () => {
    await stopChildren()
    await runCleanups()
    return signal === 'SIGINT' ? 130 : 143
  })().finally(() => {
    stopping = undefined
  })
  return stopping
}

async function stopChildren(): Promise<void> {
  const children = [...live]
  if (children.length === 0) return
  const exited = children.map(
    child =>
      new Promise<void>(resolve => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
      })
  )
  for (const child of children) signalChild(child, 'SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const grace = new Promise<'grace'>(resolve => {
    timer = setTimeout(() => resolve('grace'), KILL_GRACE_MS)
  })
  const outcome = await Promise.race([Promise.all(exited).then(() => 'exited' as const), grace])
  clearTimeout(timer)
  if (outcome === 'grace') {
    for (const child of children) signalChild(child, 'SIGKILL')
    // SIGKILL cannot be refused; wait for the exit events, bounded all the same.
    await Promise.race([Promise.all(exited), delay(KILL_GRACE_MS)])
  }
}

/**
 * Signals a child, and everything in its process group when it leads one: the group outlives
 * its leader, so it is signalled even after the leader exited.
 */
export function signalChild(child: ChildProcess, name: NodeJS.Signals): void {
  if (groupLeaders.has(child) && child.pid !== undefined) {
    try {
      process.kill(-child.pid, name)
      return
    } catch {
      // No such group any more: fall through to the child itself.
    }
  }
  if (child.exitCode !== null || child.signalCode !== null) return
  try {
    child.kill(name)
  } catch {
    // Already gone.
  }
}

async function runCleanups(): Promise<void> {
  const pending = [...cleanups].map(async cleanup => {
    cleanups.delete(cleanup)
    try {
      await cleanup()
    } catch {
      // A cleanup that fails must not stop the others.
    }
  })
  await Promise.race([Promise.all(pending), delay(CLEANUP_DEADLINE_MS)])
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref())
}

/**
 * Installs the cancellation handlers (idempotent). Call it BEFORE spawning a child you will track:
 * on a busy machine the child can start, do visible work and the runner can signal us before this
 * process runs its next line, and a SIGTERM that arrives with no handler kills us outright —
 * leaving the child running.
 */
export function installSignalHandlers(): void {
  if (installed) return
  installed = true
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      void stopEverything(name).then(code => process.exit(code))
    })
  }
  // Every other exit path (success, failure, process.exit): synchronous cleanups still run.
  process.on('exit', () => {
    for (const cleanup of cleanups) {
      try {
        void cleanup()
      } catch {
        // Exiting regardless.
      }
    }
    cleanups.clear()
  })
}
