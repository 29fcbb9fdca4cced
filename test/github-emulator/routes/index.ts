import type { RouteTable } from '../http.js'
import { actionRoutes } from './actions.js'
import { checkRoutes } from './checks.js'
import { deploymentRoutes } from './deployments.js'
import { gitRoutes } from './git.js'
import { pullRoutes } from './pulls.js'
import { releaseRoutes } from './releases.js'
import { repositoryRoutes } from './repository.js'

/** Every emulated operation, keyed by `METHOD /openapi/template`. */
export const routes: RouteTable = {
  ...deploymentRoutes,
  ...releaseRoutes,
  ...gitRoutes,
  ...checkRoutes,
  ...actionRoutes,
  ...repositoryRoutes,
  ...pullRoutes
}
