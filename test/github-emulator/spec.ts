import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/** The parts of an OpenAPI 3.0 document the emulator reads; everything else stays `unknown`. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>
  components: Record<string, Record<string, unknown>>
}

export interface SpecOperation {
  method: string
  /** The path template as written in the description, e.g. `/repos/{owner}/{repo}/git/ref/{ref}`. */
  template: string
  operationId: string
  /** JSON pointer of the operation object inside the document, for validator refs. */
  pointer: string
}

export interface OperationMatch {
  operation: SpecOperation
  params: Record<string, string>
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']

interface CompiledRoute {
  operation: SpecOperation
  names: string[]
  exact: RegExp
  /** Same template but the last parameter may contain `/` (unencoded `heads/main`). */
  greedy?: RegExp
  literals: number
}

/** Parameters whose values contain `/` (`heads/main`, `docs/a.md`) when a client does not encode them. */
const SLASHED_PARAMS = new Set(['ref', 'basehead', 'path', 'tag'])

let cached: { doc: OpenApiDocument; routes: CompiledRoute[] } | undefined

/**
 * Reads GitHub's OpenAPI description once per process. The package index is avoided on
 * purpose: it loads every variant of the description (about 385 MB); this file is 13 MB.
 */
export function loadSpec(): { doc: OpenApiDocument; routes: CompiledRoute[] } {
  if (cached) return cached
  const require = createRequire(import.meta.url)
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json')
  const doc = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument
  cached = { doc, routes: compileRoutes(doc) }
  return cached
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

function compileRoutes(doc: OpenApiDocument): CompiledRoute[] {
  const routes: CompiledRoute[] = []
  for (const [template, item] of Object.entries(doc.paths)) {
    const segments = template.split('/').slice(1)
    const names: string[] = []
    let literals = 0
    const parts = segments.map(segment => {
      // Segments such as `{basehead}` or literal ones; GitHub has no mixed segments we use.
      const m = /^\{([^}]+)\}$/.exec(segment)
      if (m) {
        names.push(m[1])
        return '([^/]+)'
      }
      literals++
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    const exact = new RegExp('^/' + parts.join('/') + '$')
    const last = /^\{([^}]+)\}$/.exec(segments[segments.length - 1] ?? '')
    const greedy =
      last && SLASHED_PARAMS.has(last[1])
        ? new RegExp('^/' + [...parts.slice(0, -1), '(.+)'].join('/') + '$')
        : undefined
    for (const method of METHODS) {
      const op = item[method] as { operationId?: string } | undefined
      if (!op) continue
      routes.push({
        operation: {
          method: method.toUpperCase(),
          template,
          operationId: op.operationId ?? `${method} ${template}`,
          pointer: `/paths/${escapePointerToken(template)}/${method}`
        },
        names,
        exact,
        greedy,
        literals
      })
    }
  }
  return routes
}

/**
 * Finds the documented operation for a request path. Templates with more literal segments
 * win (`/releases/latest` over `/releases/{release_id}`), and a slash inside the last
 * parameter is only accepted when nothing matches exactly.
 */
export function matchOperation(method: string, path: string): OperationMatch | undefined {
  const { routes } = loadSpec()
  for (const mode of ['exact', 'greedy'] as const) {
    let best: { route: CompiledRoute; values: string[] } | undefined
    for (const route of routes) {
      if (route.operation.method !== method) continue
      const re = mode === 'exact' ? route.exact : route.greedy
      const m = re?.exec(path)
      if (!m) continue
      if (!best || route.literals > best.route.literals) best = { route, values: m.slice(1) }
    }
    if (best) {
      const params: Record<string, string> = {}
      best.route.names.forEach((name, i) => {
        params[name] = safeDecode(best.values[i])
      })
      return { operation: best.route.operation, params }
    }
  }
  return undefined
}

/** True when some method exists for the path, so a wrong method is told apart from a wrong path. */
export function pathExists(path: string): boolean {
  return loadSpec().routes.some(r => r.exact.test(path) || r.greedy?.test(path))
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
