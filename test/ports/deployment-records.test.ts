import { jest } from '@jest/globals'
import { deploymentRecordsContract } from './deployment-records.contract.js'
import { fileFixture, githubFixture } from './deployment-records.fixtures.js'

// The emulator loads GitHub's OpenAPI description once per file: a deadline for a busy machine.
jest.setTimeout(120_000)

deploymentRecordsContract('DeploymentLedger on the GitHub emulator', githubFixture)
deploymentRecordsContract('FileDeploymentRecords on a ledger file', fileFixture)
