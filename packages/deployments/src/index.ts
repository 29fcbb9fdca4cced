export {
  DeploymentLedger,
  clipDescription,
  payloadOf,
  type DeploymentState,
  type DeploymentPayload,
  type DeploymentRecord,
  type StatusRecord,
  type StartOptions
} from './ledger.js'
