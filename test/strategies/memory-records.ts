// An in-memory DeploymentRecords for the deploy stage's tests: it keeps what was started and
// every status written, in order, so a test reads what the Deployment history would say.
import type {
  DeploymentRecord,
  DeploymentRecords,
  DeploymentState,
  StartOptions,
  StatusRecord
} from '@slipway/deployments'

export class MemoryDeploymentRecords implements DeploymentRecords {
  readonly logUrl = undefined
  readonly deployments: DeploymentRecord[] = []

  async start(options: StartOptions): Promise<{ deployment: DeploymentRecord; created: boolean }> {
    const deployment: DeploymentRecord = {
      id: this.deployments.length + 1,
      ref: options.version,
      sha: '0'.repeat(40),
      environment: options.environment,
      createdAt: new Date(0).toISOString(),
      payload: { slipway: 1, ...options.payload },
      statuses: []
    }
    this.deployments.push(deployment)
    return { deployment, created: true }
  }

  async setStatus(
    deploymentId: number,
    state: DeploymentState,
    description: string
  ): Promise<StatusRecord> {
    const deployment = this.deployments.find(d => d.id === deploymentId)
    if (!deployment) throw new Error(`no deployment ${deploymentId}`)
    const status: StatusRecord = {
      id: deployment.statuses.length + 1,
      state,
      description,
      createdAt: new Date(0).toISOString()
    }
    deployment.statuses.push(status)
    deployment.state = state
    return status
  }

  async markRolledBack(deploymentId: number): Promise<StatusRecord> {
    return this.setStatus(deploymentId, 'inactive', 'rolled back')
  }

  async history(environment: string): Promise<DeploymentRecord[]> {
    return this.deployments.filter(d => d.environment === environment).reverse()
  }

  async lastGood(): Promise<DeploymentRecord | undefined> {
    return undefined
  }
}
