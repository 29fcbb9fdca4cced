import { createHash } from 'node:crypto'
import type { KubeObject } from './types.js'

/**
 * The defaults the API server fills in on write (the ones that matter to rollouts and to
 * idempotent applies): a second apply of the same manifest must not change the template.
 */
export function applyDefaults(object: KubeObject): void {
  switch (object.kind) {
    case 'Deployment':
      object.spec.replicas ??= 1
      object.spec.revisionHistoryLimit ??= 10
      object.spec.progressDeadlineSeconds ??= 600
      object.spec.strategy ??= { type: 'RollingUpdate' }
      object.spec.strategy.type ??= 'RollingUpdate'
      if (object.spec.strategy.type === 'RollingUpdate') {
        object.spec.strategy.rollingUpdate ??= {}
        object.spec.strategy.rollingUpdate.maxSurge ??= '25%'
        object.spec.strategy.rollingUpdate.maxUnavailable ??= '25%'
      }
      podSpecDefaults(object.spec.template?.spec)
      break
    case 'ReplicaSet':
      object.spec.replicas ??= 1
      podSpecDefaults(object.spec.template?.spec)
      break
    case 'Pod':
      podSpecDefaults(object.spec)
      break
    case 'Secret': {
      object.type ??= 'Opaque'
      // The API server folds stringData into data and never stores or returns it.
      const stringData = object.stringData as Record<string, string> | undefined
      if (stringData) {
        const data = (object.data ?? {}) as Record<string, string>
        for (const [k, v] of Object.entries(stringData))
          data[k] = Buffer.from(String(v)).toString('base64')
        object.data = data
        delete object.stringData
      }
      break
    }
    case 'Service':
      serviceDefaults(object)
      break
    case 'HTTPRoute':
      for (const ref of object.spec?.parentRefs ?? []) {
        ref.group ??= 'gateway.networking.k8s.io'
        ref.kind ??= 'Gateway'
      }
      for (const rule of object.spec?.rules ?? []) {
        rule.matches ??= [{ path: { type: 'PathPrefix', value: '/' } }]
        for (const ref of rule.backendRefs ?? []) {
          ref.group ??= ''
          ref.kind ??= 'Service'
          ref.weight ??= 1
        }
      }
      break
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function podSpecDefaults(spec: any): void {
  if (!spec) return
  spec.restartPolicy ??= 'Always'
  spec.terminationGracePeriodSeconds ??= 30
  spec.dnsPolicy ??= 'ClusterFirst'
  spec.schedulerName ??= 'default-scheduler'
  spec.securityContext ??= {}
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    c.terminationMessagePath ??= '/dev/termination-log'
    c.terminationMessagePolicy ??= 'File'
    c.imagePullPolicy ??= /(:latest$)|(^[^:@]+$)|(^[^@]*\/[^:@]+$)/.test(c.image ?? '')
      ? 'Always'
      : 'IfNotPresent'
    c.resources ??= {}
    for (const p of c.ports ?? []) p.protocol ??= 'TCP'
  }
}

function serviceDefaults(object: KubeObject): void {
  const spec = (object.spec ??= {})
  spec.type ??= 'ClusterIP'
  spec.sessionAffinity ??= 'None'
  spec.internalTrafficPolicy ??= 'Cluster'
  spec.ipFamilies ??= ['IPv4']
  spec.ipFamilyPolicy ??= 'SingleStack'
  if (spec.clusterIP === undefined) {
    const n = createHash('sha256')
      .update(`${object.metadata.namespace}/${object.metadata.name}`)
      .digest()
    spec.clusterIP = `10.96.${n[0]}.${n[1] || 1}`
  }
  spec.clusterIPs ??= [spec.clusterIP]
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP'
    p.targetPort ??= p.port
  }
  object.status ??= { loadBalancer: {} }
}
