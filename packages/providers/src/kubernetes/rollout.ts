import type { V1Deployment, V1Pod } from '@kubernetes/client-node'
import type { ProbeOutcome } from '@slipway/probes'

/** Waiting reasons a pod does not recover from by waiting longer: the gate fails at once. */
const FATAL_WAITING = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError'
])

/**
 * The first of `pods` that will not become ready on its own, with why: a container waiting for a
 * reason waiting does not cure (CrashLoopBackOff …), or one that already restarted — between two
 * back-offs a crash-looping container shows as running, so its restart count is the evidence.
 */
export function failingPod(pods: V1Pod[]): { pod: V1Pod; reason: string } | undefined {
  for (const pod of pods)
    for (const status of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? [])
    ]) {
      const waiting = status.state?.waiting?.reason
      const where = `pod ${pod.metadata?.name} container ${status.name}`
      if (waiting && FATAL_WAITING.has(waiting))
        return {
          pod,
          reason: `${where}: ${waiting} (${status.restartCount} restarts)${status.state?.waiting?.message ? `: ${status.state.waiting.message}` : ''}`
        }
      const last = status.lastState?.terminated
      if (status.restartCount > 0 && last)
        return {
          pod,
          reason: `${where}: restarted ${status.restartCount} times (last exit ${last.exitCode}${last.reason ? ` ${last.reason}` : ''})`
        }
    }
  return undefined
}

/**
 * One observation of a Deployment's rollout, as `kubectl rollout status` judges it: the
 * controller saw the latest spec (observedGeneration ≥ generation), every desired replica is
 * updated, ready and available, no old pod is left, and Progressing says NewReplicaSetAvailable.
 * ProgressDeadlineExceeded or a crash-looping pod of the new template fails at once (fatal).
 */
export function rolloutOutcome(
  name: string,
  deployment: V1Deployment | undefined,
  pods: V1Pod[],
  expectedVersion?: string,
  versionOf?: (d: V1Deployment) => string | undefined
): ProbeOutcome {
  if (!deployment) return { ok: false, fatal: true, message: `Deployment ${name} does not exist` }
  const found = versionOf?.(deployment)
  if (expectedVersion && found !== expectedVersion)
    return {
      ok: false,
      fatal: true,
      message: `Deployment ${name} runs ${found ?? 'another version'}, not ${expectedVersion}`
    }
  const status = deployment.status ?? {}
  const desired = deployment.spec?.replicas ?? 1
  const progressing = status.conditions?.find(c => c.type === 'Progressing')
  // The pod's own reason first: it says more than the deadline it caused.
  const failing = failingPod(pods)
  if (failing) return { ok: false, fatal: true, message: `Deployment ${name}: ${failing.reason}` }
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return {
      ok: false,
      fatal: true,
      message: `Deployment ${name}: ProgressDeadlineExceeded (${progressing.message ?? 'the rollout made no progress'})`
    }
  if (desired === 0)
    return {
      ok: false,
      fatal: true,
      message: `Deployment ${name} is scaled to 0: nothing to check`
    }
  const generation = deployment.metadata?.generation ?? 0
  const counts = `${status.updatedReplicas ?? 0} updated, ${status.readyReplicas ?? 0} ready, ${status.availableReplicas ?? 0} available of ${desired}`
  if ((status.observedGeneration ?? 0) < generation)
    return {
      ok: false,
      message: `Deployment ${name}: waiting for the controller to observe generation ${generation}`
    }
  const done =
    (status.updatedReplicas ?? 0) === desired &&
    (status.readyReplicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    progressing?.reason === 'NewReplicaSetAvailable'
  return done
    ? { ok: true, message: `Deployment ${name} rolled out: ${counts}` }
    : {
        ok: false,
        message: `Deployment ${name} rolling out: ${counts}${progressing?.reason ? ` (${progressing.reason})` : ''}`
      }
}
