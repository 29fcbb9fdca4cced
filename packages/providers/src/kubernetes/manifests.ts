import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '@slipway/kit'
import { yamlParseAllDocuments as parseAllDocuments } from '@slipway/kit'
import { checkDnsSubdomain } from './names.js'
import { checkKind } from './schema.js'

/** A Kubernetes object from the user's manifests, with where it came from (for error messages). */
export interface ManifestObject {
  file: string
  object: KubeObject
}

export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: {
    name: string
    namespace?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
  }
  spec?: Record<string, unknown>
  [key: string]: unknown
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i
/** Enough for any app; a directory holding more is almost certainly the wrong directory. */
const MAX_FILES = 200

/** The files the `manifests` input names: files as given, directories' manifest files sorted by name. */
export function manifestFiles(paths: string[]): string[] {
  const files: string[] = []
  for (const path of paths) {
    let stat
    try {
      stat = statSync(path)
    } catch {
      throw new InputError('manifests', 'manifest files or directories that exist', path)
    }
    if (stat.isDirectory()) {
      const inside = readdirSync(path)
        .filter(name => MANIFEST_FILE.test(name))
        .sort()
        .map(name => join(path, name))
      if (inside.length === 0)
        throw new InputError('manifests', 'a directory holding *.yaml, *.yml or *.json files', path)
      files.push(...inside)
    } else files.push(path)
    if (files.length > MAX_FILES)
      throw new InputError('manifests', `at most ${MAX_FILES} manifest files`, `${files.length}+`)
  }
  return files
}

/**
 * Reads every document of every file, refusing a document that is not YAML or not an object of a
 * known kind: the error names the file and the object. The schema check (checkSchemas) loads
 * the validators, so the provider runs it before its first request, not here.
 */
export function readManifests(paths: string[], namespace: string): ManifestObject[] {
  if (paths.length === 0)
    throw new InputError('manifests', 'the manifest files or directories to deploy', undefined)
  const objects: ManifestObject[] = []
  for (const file of manifestFiles(paths)) {
    const docs = parseAllDocuments(readFileSync(file, 'utf8'))
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length)
        throw new InputError('manifests', `YAML documents (${file})`, doc.errors[0].message)
      const value: unknown = doc.toJS()
      if (value === null || value === undefined) continue
      if (typeof value !== 'object' || Array.isArray(value))
        throw new InputError('manifests', `Kubernetes objects (${file})`, typeof value)
      const object = value as KubeObject
      checkKind('manifests', file, object)
      const name = object.metadata?.name
      if (typeof name !== 'string')
        throw new InputError(
          'manifests',
          `metadata.name on every object (${file}: ${object.kind})`,
          name
        )
      checkDnsSubdomain('manifests', name, `${file}: ${object.kind} metadata.name`)
      if (object.metadata.namespace && object.metadata.namespace !== namespace)
        throw new InputError(
          'manifests',
          `objects in the namespace deployed to (${namespace}), or without a namespace (${file}: ${object.kind}/${name})`,
          object.metadata.namespace
        )
      objects.push({ file, object })
    }
  }
  return objects
}

/** The app's Deployment: the one named `app`, or the only Deployment. */
export function appDeployment(objects: ManifestObject[], app: string): number {
  const deployments = objects
    .map((m, index) => ({ m, index }))
    .filter(({ m }) => m.object.kind === 'Deployment')
  const named = deployments.find(({ m }) => m.object.metadata.name === app)
  if (named) return named.index
  if (deployments.length === 1) return deployments[0].index
  throw new InputError(
    'manifests',
    `one Deployment, or one named after the app (${app})`,
    deployments.length === 0
      ? 'no Deployment'
      : deployments.map(({ m }) => m.object.metadata.name).join(', ')
  )
}
