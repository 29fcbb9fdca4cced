import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { startEmulator, type Emulator } from './index.js'
import { api } from './test-helpers.js'

// The GraphQL fields the deployment lock and the deploy's record read: Deployment.latestStatus
// and Repository.object(expression). Queries are checked against GitHub's schema as always.

let gh: Emulator
beforeEach(async () => {
  gh = await startEmulator()
})
afterEach(async () => {
  await gh.close()
})

interface Answer {
  data?: { repository: { deployments: { nodes: { latestStatus: unknown }[] }; object: Obj } }
  errors?: unknown[]
}
type Obj = { __typename: string; oid: string; target?: { oid: string } } | null

async function query(text: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await api(gh, 'POST', '/graphql', { query: text, variables })
  expect(response.status).toBe(200)
  return response.body as Answer
}

describe('GraphQL: latestStatus and object', () => {
  test('latestStatus is the newest status, null before the first', async () => {
    const sha = gh.state.addCommit({ message: 'feat: x' })
    gh.state.addDeployment({ ref: sha, environment: 'qa' })
    gh.state.addDeployment({
      ref: sha,
      environment: 'qa',
      statuses: [
        { state: 'in_progress' },
        { state: 'success', log_url: 'https://l/actions/runs/5' }
      ]
    })
    const answer = await query(
      `query { repository(owner: "octo", name: "app") {
        deployments(environments: ["qa"], first: 10, orderBy: {field: CREATED_AT, direction: DESC}) {
          nodes { databaseId latestStatus { state logUrl } }
        } } }`
    )
    expect(answer.errors).toBeUndefined()
    expect(answer.data!.repository.deployments.nodes.map(n => n.latestStatus)).toEqual([
      { state: 'SUCCESS', logUrl: 'https://l/actions/runs/5' },
      null
    ])
  })

  test('object(expression) finds branches, tags (annotated ones as Tag) and commits; null otherwise', async () => {
    const sha = gh.state.addCommit({ message: 'feat: x' })
    gh.state.addTag('v1.0.0', sha, { message: 'v1.0.0' })
    gh.state.addTag('v1', sha)
    const ask = async (expression: string) =>
      (
        await query(
          `query($e: String!) { repository(owner: "octo", name: "app") {
            object(expression: $e) { __typename oid ... on Tag { target { oid } } } } }`,
          { e: expression }
        )
      ).data!.repository.object
    expect(await ask('main')).toEqual({ __typename: 'Commit', oid: sha })
    expect(await ask('v1')).toEqual({ __typename: 'Commit', oid: sha })
    const annotated = await ask('v1.0.0')
    expect(annotated).toMatchObject({ __typename: 'Tag', target: { oid: sha } })
    expect(annotated?.oid).not.toBe(sha)
    expect(await ask(sha)).toEqual({ __typename: 'Commit', oid: sha })
    expect(await ask('v9.9.9')).toBeNull()
    expect(await ask('build-4711')).toBeNull()
  })
})
