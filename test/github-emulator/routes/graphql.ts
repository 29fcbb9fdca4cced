import { schema as githubSchema } from '@octokit/graphql-schema'
import {
  buildSchema,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema
} from 'graphql'
import type { Reply } from '../http.js'
import type { ApiObject, EmulatorState } from '../state.js'
import { objectOf } from './graphql-objects.js'

/**
 * `POST /graphql`: queries are parsed and validated against GitHub's real GraphQL schema
 * (@octokit/graphql-schema), so a field GitHub does not have fails here as it would there.
 * Resolvers cover what Slipway reads: repository.deployments (environments, first/after,
 * orderBy CREATED_AT), Deployment.statuses and latestStatus, and repository.object(expression).
 * Anything else resolves to null.
 */
let cached: GraphQLSchema | undefined
function schema(): GraphQLSchema {
  // The published SDL repeats two EnterpriseOwnerInfo fields; GitHub's own server does not care.
  cached ??= buildSchema(githubSchema.idl, { assumeValidSDL: true })
  return cached
}

export interface GraphqlOutcome {
  reply: Reply
  /** Messages of a query GitHub's schema rejects (the server records them). */
  problems: string[]
}

interface Connection<T> {
  totalCount: number
  pageInfo: {
    hasNextPage: boolean
    hasPreviousPage: boolean
    startCursor: string | null
    endCursor: string | null
  }
  nodes: T[]
  edges: { cursor: string; node: T }[]
}

const cursorOf = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64')
function indexOf(cursor: string | null | undefined): number {
  if (!cursor) return -1
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  if (!m) throw new Error(`\`${cursor}\` does not appear to be a valid cursor.`)
  return Number(m[1])
}

/** GitHub's connection arguments: first/last up to 100, after/before cursors. */
function connection<T>(items: T[], args: { first?: number; after?: string }): Connection<T> {
  const first = args.first
  if (first === undefined || first === null)
    throw new Error('You must provide a `first` or `last` value to properly paginate.')
  if (first < 0 || first > 100)
    throw new Error(`Requesting ${first} records exceeds the \`first\` limit of 100 records.`)
  const start = indexOf(args.after) + 1
  const page = items.slice(start, start + first)
  return {
    totalCount: items.length,
    pageInfo: {
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursorOf(start) : null,
      endCursor: page.length ? cursorOf(start + page.length - 1) : null
    },
    nodes: page,
    edges: page.map((node, i) => ({ cursor: cursorOf(start + i), node }))
  }
}

function deploymentNode(state: EmulatorState, d: ApiObject): Record<string, unknown> {
  const ref = String(d.ref)
  const isBranchOrTag = ref !== d.sha
  return {
    id: Buffer.from(`Deployment:${d.id}`).toString('base64'),
    databaseId: d.id,
    commitOid: d.sha,
    environment: d.environment,
    originalEnvironment: d.original_environment ?? d.environment,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    description: d.description,
    task: d.task,
    payload: typeof d.payload === 'string' ? d.payload : JSON.stringify(d.payload ?? {}),
    ref: isBranchOrTag ? { name: ref, prefix: 'refs/heads/' } : null,
    latestStatus: () => {
      const [newest] = [...state.deploymentStatuses(d.id as number)].sort(
        (a, b) =>
          String(b.created_at).localeCompare(String(a.created_at)) ||
          (b.id as number) - (a.id as number)
      )
      return newest ? statusNode(newest) : null
    },
    statuses: (args: { first?: number; after?: string }) =>
      // Newest first, as REST lists them.
      connection(
        [...state.deploymentStatuses(d.id as number)]
          .sort(
            (a, b) =>
              String(b.created_at).localeCompare(String(a.created_at)) ||
              (b.id as number) - (a.id as number)
          )
          .map(statusNode),
        args
      )
  }
}

function statusNode(s: ApiObject): Record<string, unknown> {
  return {
    id: Buffer.from(`DeploymentStatus:${s.id}`).toString('base64'),
    state: String(s.state).toUpperCase(),
    description: s.description ?? null,
    environment: s.environment ?? null,
    environmentUrl: s.environment_url || null,
    logUrl: s.log_url || null,
    createdAt: s.created_at,
    updatedAt: s.updated_at
  }
}

function rootOf(state: EmulatorState): Record<string, unknown> {
  return {
    repository: (args: { owner: string; name: string }) => {
      if (args.owner !== state.repo.owner || args.name !== state.repo.name) return null
      return {
        name: state.repo.name,
        nameWithOwner: `${state.repo.owner}/${state.repo.name}`,
        object: (a: { expression: string }) => objectOf(state, a.expression),
        deployments: (a: {
          environments?: string[]
          first?: number
          after?: string
          orderBy?: { field: string; direction: 'ASC' | 'DESC' }
        }) => {
          const sign = (a.orderBy?.direction ?? 'ASC') === 'DESC' ? -1 : 1
          const list = state.deployments
            .filter(d => !a.environments || a.environments.includes(String(d.environment)))
            .sort(
              (x, y) =>
                sign *
                (String(x.created_at).localeCompare(String(y.created_at)) ||
                  (x.id as number) - (y.id as number))
            )
          return connection(
            list.map(d => deploymentNode(state, d)),
            a
          )
        }
      }
    }
  }
}

/** Executes one GraphQL request body `{query, variables}` over the emulator state. */
export function graphqlReply(state: EmulatorState, body: unknown): GraphqlOutcome {
  const { query, variables, operationName } = (body ?? {}) as {
    query?: unknown
    variables?: Record<string, unknown>
    operationName?: string
  }
  if (typeof query !== 'string')
    return {
      reply: { status: 400, body: { message: 'A query attribute must be specified' } },
      problems: ['GraphQL request without a query']
    }
  let document: DocumentNode
  try {
    document = parse(query)
  } catch (error) {
    return rejected([error as GraphQLError])
  }
  const errors = validate(schema(), document)
  if (errors.length) return rejected(errors)
  const result = execute({
    schema: schema(),
    document,
    rootValue: rootOf(state),
    variableValues: variables ?? {},
    operationName
  }) as Awaited<ReturnType<typeof execute>>
  if (result.errors?.some(e => !e.path))
    // Variable coercion problems: GitHub reports them like validation errors.
    return rejected([...result.errors])
  return {
    // GitHub answers 200 with an `errors` list for failures while resolving.
    reply: {
      status: 200,
      body: {
        data: result.data ?? null,
        ...(result.errors ? { errors: result.errors.map(errorOf) } : {})
      }
    },
    problems: []
  }
}

function errorOf(e: GraphQLError): Record<string, unknown> {
  return {
    type: e.path ? 'INTERNAL' : undefined,
    path: e.path,
    locations: e.locations,
    message: e.message
  }
}

/** An invalid query: GitHub answers 200 with `errors` and no data. */
function rejected(errors: readonly GraphQLError[]): GraphqlOutcome {
  return {
    reply: { status: 200, body: { errors: errors.map(errorOf) } },
    problems: errors.map(e => `GraphQL: ${e.message}`)
  }
}
