export {
  DeploymentLedger,
  clipDescription,
  payloadOf,
  deploymentRecordOf,
  type ApiDeployment,
  type ApiStatus,
  type DeploymentState,
  type DeploymentPayload,
  type DeploymentRecord,
  type StatusRecord,
  type StartOptions
} from './ledger.js'
