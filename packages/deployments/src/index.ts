export {
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_ENVIRONMENTS_SCAN,
  environmentsOf,
  rolledBackDescription,
  type DeploymentRecords,
  type DeploymentState,
  type DeploymentPayload,
  type DeploymentRecord,
  type StatusRecord,
  type StatusOptions,
  type StartOptions
} from './records.js'
export { lastGoodOf } from './last-good.js'
export { clipDescription } from './description.js'
export { payloadOf, deploymentRecordOf, type ApiDeployment, type ApiStatus } from './api-objects.js'
export { DeploymentLedger, GitHubDeploymentRecords } from './ledger.js'
export { FileDeploymentRecords, type FileDeploymentRecordsOptions } from './file-records.js'
