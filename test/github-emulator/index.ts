import { routes } from './routes/index.js'
import {
  EmulatorServer,
  type RecordedRequest,
  type ResponseCorruptor,
  type ValidationError
} from './server.js'
import { EmulatorState } from './state.js'
import type { Faults } from './faults.js'
import { sharedValidator } from './validator.js'

export type { FaultSpec, Faults } from './faults.js'
export type { RecordedRequest, ValidationError, ResponseCorruptor } from './server.js'
export type { ApiObject, EmulatorState, CommitRecord, AddCommitInput } from './state.js'

export interface EmulatorOptions {
  owner?: string
  repo?: string
  token?: string
  defaultBranch?: string
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`: Octokit `baseUrl`, `GITHUB_API_URL`. */
  url: string
  token: string
  owner: string
  repo: string
  state: EmulatorState
  faults: Faults
  requests: RecordedRequest[]
  validationErrors: ValidationError[]
  /** Test-only: the next JSON response body goes through `fn` before validation. */
  corruptNextResponse(fn: ResponseCorruptor): void
  /** Stops the server; throws when any request or response failed validation. */
  close(): Promise<void>
  /** Stops the server without the validation check. */
  closeUnchecked(): Promise<void>
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const owner = options.owner ?? 'octo'
  const repo = options.repo ?? 'app'
  const token = options.token ?? 'test-token'
  // Load and prepare the OpenAPI document before listening, so the first request is not slow.
  sharedValidator()
  const server = new EmulatorServer(token, routes)
  const url = await server.listen()
  const state = new EmulatorState(url, owner, repo, options.defaultBranch ?? 'main')
  server.state = state
  return {
    url,
    token,
    owner,
    repo,
    state,
    faults: server.faults,
    requests: server.requests,
    validationErrors: server.validationErrors,
    corruptNextResponse: fn => server.corruptNextResponse(fn),
    async close() {
      await server.close()
      if (server.validationErrors.length) {
        const lines = server.validationErrors.map(
          e =>
            `- ${e.direction} ${e.method} ${e.path}${e.operationId ? ` (${e.operationId})` : ''}: ${e.message}`
        )
        throw new Error(
          `GitHub emulator saw ${lines.length} OpenAPI validation error(s):\n${lines.join('\n')}`
        )
      }
    },
    closeUnchecked: () => server.close()
  }
}
