import { createGitHubClient } from '@slipway/github'
import { githubChecksProbe } from '@slipway/probes'
import { deploymentLock } from './deployment-lock.js'
import type { CommitChecks, DeploymentActivity } from './ports.js'
import type { GitHubAccess } from './settings.js'

export interface GitHubPreflightPorts {
  deploymentActivity?: DeploymentActivity
  commitChecks?: CommitChecks
}

/**
 * The GitHub implementations of the preflight ports, over one client. Without access (no check
 * needs GitHub) there are none, and no client is built.
 */
export function githubPreflightPorts(access: GitHubAccess | undefined): GitHubPreflightPorts {
  if (!access) return {}
  const client = createGitHubClient({ token: access.token, baseUrl: access.apiUrl })
  const where = { client, owner: access.repository.owner, repo: access.repository.repo }
  return {
    deploymentActivity: {
      lock: (query, context) => deploymentLock({ ...where, ...query }, context)
    },
    commitChecks: {
      evaluate: (query, context) => githubChecksProbe({ ...where, ...query }, context)
    }
  }
}
