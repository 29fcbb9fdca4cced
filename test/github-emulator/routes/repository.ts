import { bodyOf, notFound, type RouteTable } from '../http.js'
import { fullRepository } from '../shapes.js'

const REPO = '/repos/{owner}/{repo}'

export const repositoryRoutes: RouteTable = {
  [`GET ${REPO}`]: ctx => {
    const { state } = ctx
    const pushed = state.commit(state.headOf())?.author.date ?? state.repo.createdAt
    return { status: 200, body: fullRepository(state.baseUrl, state.repo, pushed) }
  },
  [`GET ${REPO}/environments`]: ctx => {
    const environments = ctx.state.environments
    return { status: 200, body: { total_count: environments.length, environments } }
  },
  [`GET ${REPO}/environments/{environment_name}`]: ctx => {
    const env = ctx.state.environmentMap.get(ctx.params.environment_name)
    if (!env) throw notFound()
    return { status: 200, body: env }
  },
  [`PUT ${REPO}/environments/{environment_name}`]: ctx => {
    const input = bodyOf<{ wait_timer: number }>(ctx)
    return {
      status: 200,
      body: ctx.state.addEnvironment(ctx.params.environment_name, { wait_timer: input.wait_timer })
    }
  },
  ['GET /rate_limit']: () => {
    const reset = Math.ceil(Date.now() / 1000) + 3600
    const bucket = (limit: number) => ({ limit, used: 1, remaining: limit - 1, reset })
    return {
      status: 200,
      body: {
        resources: {
          core: bucket(5000),
          search: bucket(30),
          graphql: bucket(5000),
          integration_manifest: bucket(5000)
        },
        rate: bucket(5000)
      }
    }
  }
}
