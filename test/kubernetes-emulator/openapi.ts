import { createHash } from 'node:crypto'
import { RESOURCES } from './resources.js'

// Go clients (helm, kubectl) validate what they send with `fieldValidation=Strict` when the
// server's OpenAPI v3 document says its PATCH operations take that parameter; otherwise they
// download the whole OpenAPI v2 schema and validate client-side. The emulator publishes the
// part of OpenAPI v3 that decision reads: one document per group-version whose paths carry the
// PATCH operation of each kind, with its `x-kubernetes-group-version-kind` and `fieldValidation`.
// No component schemas: the emulator validates every write itself (validation.ts).

function urlPath(apiVersion: string): string {
  return apiVersion === 'v1' ? 'api/v1' : `apis/${apiVersion}`
}

function apiVersions(): string[] {
  return [...new Set(RESOURCES.map(r => r.apiVersion))]
}

/** `/openapi/v3/<api/v1 | apis/group/version>` for a served group-version, else undefined. */
export function openApiGroupVersion(path: string): Record<string, unknown> | undefined {
  const apiVersion = apiVersions().find(v => path === `/openapi/v3/${urlPath(v)}`)
  if (!apiVersion) return undefined
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]
  const parameters = ['fieldValidation', 'fieldManager', 'dryRun', 'force'].map(name => ({
    name,
    in: 'query',
    schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true }
  }))
  const paths: Record<string, unknown> = {}
  for (const r of RESOURCES.filter(r => r.apiVersion === apiVersion))
    paths[`/${urlPath(apiVersion)}/namespaces/{namespace}/${r.plural}/{name}`] = {
      patch: {
        operationId: `patch${version}Namespaced${r.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group, version, kind: r.kind },
        parameters,
        responses: { '200': { description: 'OK' } }
      }
    }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.34.0-slipway-emulator' },
    paths
  }
}

/** `/openapi/v3`: the group-versions and where their documents are. */
export function openApiRoot(): Record<string, unknown> {
  const paths: Record<string, unknown> = {}
  for (const v of apiVersions()) {
    const hash = createHash('sha256')
      .update(JSON.stringify(openApiGroupVersion(`/openapi/v3/${urlPath(v)}`)))
      .digest('hex')
      .toUpperCase()
    paths[urlPath(v)] = { serverRelativeURL: `/openapi/v3/${urlPath(v)}?hash=${hash}` }
  }
  return { paths }
}
