/**
 * What "a snippet works when copied" means, as plain functions returning findings
 * (`file:line: problem`): every step that uses one of our actions gives only inputs the action
 * declares and passes the action's own input validation; every call of one of our reusable
 * workflows gives only inputs and secrets its `workflow_call` declares; a config file matches
 * slipway.schema.json.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'
import { loadConfigFile } from '@slipway/config'
import { Inputs, UserError, type RunnerEnv } from '@slipway/kit'
import { parsePipelineSettings, STAGE_REGISTRY, type RegisteredStage } from '@slipway/pipeline'
import { repoRoot } from '../helpers/run-bundle.js'
import {
  jobsOf,
  OWNER_REPO,
  readActionYaml,
  readReusableWorkflow,
  resolveUses,
  type ActionYaml,
  type Mapping,
  type Workflow
} from '../workflows/workflows.js'
import { isMapping, where, type YamlBlock } from './blocks.js'

/** The stage each of our actions parses its inputs for; the root action is the pipeline. */
const STAGE_OF: Record<string, RegisteredStage> = {
  'preflight-check': 'preflight',
  backup: 'backup',
  'deploy-strategy': 'deploy',
  'smoke-test': 'smoke',
  'tag-and-release': 'release',
  report: 'report',
  rollback: 'rollback'
}

/** The action READMEs write `OWNER/slipway/…` for the reader's fork; it is our action. */
export function normalizeUses(uses: string): string {
  return uses.replace(/^OWNER\/slipway(?=[/@])/, OWNER_REPO)
}

/**
 * A `with:` whose text elides inputs (`# …`) shows part of a step: its keys must still be
 * declared, but it is not a complete input set to validate.
 */
export function elidedSteps(text: string): boolean {
  return /#\s*(…|\.\.\.)\s*$/m.test(text)
}

const HEX40 = 'd6fde92930d4715a2b49857d24b940956b26d2d3'
const PRIVATE_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  '-----END OPENSSH PRIVATE KEY-----'
].join('\n')
const KNOWN_HOSTS =
  '10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForTheDocsTestOnly0000'

/**
 * A plausible value, of the form the input expects, for an input whose whole value is an
 * expression (`${{ secrets.X }}`, `${{ steps.backup.outputs.backup-id }}`): what the runner
 * would hand the action. Keyed by the input's name, as the value's form follows the input.
 */
const VALUE_FOR_INPUT: Record<string, string> = {
  version: 'v1.5.0',
  'previous-version': 'v1.4.2',
  'rc-tag': 'v1.3.0-rc.2',
  promote: 'v1.3.0-rc.2',
  environment: 'production',
  'deployment-id': '1234',
  'backup-id': 'production-20260101T000000Z-0a1b2c3d',
  'database-url': 'postgres://app:dummy-password@127.0.0.1:5432/app',
  'ssh-private-key': PRIVATE_KEY,
  'known-hosts': KNOWN_HOSTS,
  targets: 'blue=10.0.0.10:8081\ngreen=10.0.0.10:8082',
  hosts: 'web1 ssh=deploy@10.0.0.11\nweb2 ssh=deploy@10.0.0.12',
  image: 'ghcr.io/acme/shop@sha256:' + 'a'.repeat(64),
  status: 'success',
  strategy: 'canary',
  'secret-env': 'API_KEY=dummy',
  'encrypt-recipients': 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
  'age-identity': 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
  'registry-username': 'acme',
  'registry-password': 'dummy-token',
  'smoke-url': 'https://app.example.com/health',
  'dry-run': 'true',
  baseline: '',
  kubeconfig: [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]',
    'users: [{ name: u, user: { token: dummy } }]',
    'contexts: [{ name: ctx, context: { cluster: c, user: u } }]',
    'current-context: ctx'
  ].join('\n')
}

/** For an expression inside a longer text, by what it reads. */
const VALUE_FOR_EXPRESSION: [RegExp, string][] = [
  [/^github\.(sha)$/, HEX40],
  [/^github\.(token)$/, 'ghs_dummyTokenForTheDocsTest'],
  [/^secrets\.GITHUB_TOKEN$/, 'ghs_dummyTokenForTheDocsTest'],
  [/^github\.ref_name$/, 'v1.5.0'],
  [/^github\.actor$/, 'octocat'],
  [/^github\.repository$/, 'acme/shop'],
  [/^github\.server_url$/, 'https://github.com'],
  [/^github\.run_id$/, '42'],
  [/^inputs\.environment$/, 'production'],
  [/^job\.status$/, 'success'],
  [/\.outcome$/, 'success'],
  [/^needs\.build\.outputs\.digest$/, 'sha256:' + 'b'.repeat(64)],
  [/sha256$/, 'c'.repeat(64)]
]

export function placeholder(input: string, value: string): string {
  const whole = /^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(value.trim())
  if (whole && VALUE_FOR_INPUT[input] !== undefined) return VALUE_FOR_INPUT[input]
  return value.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, expression: string) => {
    const found = VALUE_FOR_EXPRESSION.find(([pattern]) => pattern.test(expression))
    return found ? found[1] : 'placeholder'
  })
}

/** A `with:` value as the runner hands it over: a string (YAML booleans and numbers as text). */
function asText(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : String(value)
}

/**
 * The inputs the runner would give the action for this `with:`: the given values (expressions
 * replaced by placeholders of the input's form), the declared defaults for the rest, and
 * `dry-run: true` where the action has it, so validating changes nothing.
 */
export function runnerInputs(action: ActionYaml, given: Mapping): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    if (spec?.default !== undefined && spec.default !== null) {
      values[name] = placeholder(name, asText(spec.default))
    }
  }
  for (const [name, value] of Object.entries(given)) values[name] = placeholder(name, asText(value))
  if ('dry-run' in (action.inputs ?? {})) values['dry-run'] = 'true'
  return values
}

/** The runner as a job sees it, with the example config file checked out as `slipway.yml`. */
export function docsRunnerEnv(): RunnerEnv {
  const workspace = mkdtempSync(join(tmpdir(), 'slipway-docs-'))
  copyFileSync(join(repoRoot, 'examples/slipway.yml'), join(workspace, 'slipway.yml'))
  return {
    workspace,
    runnerTemp: mkdtempSync(join(tmpdir(), 'slipway-docs-temp-')),
    repository: 'acme/shop',
    sha: HEX40,
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    runId: '42',
    runAttempt: '1'
  }
}

/**
 * Inputs that name a file of the user's checkout (built by an earlier step or committed). The
 * snippet cannot bring them along, so the test's checkout has each one the snippet names.
 */
const CHECKOUT_FILE_INPUTS = ['artifact', 'image-archive', 'env-file', 'version-files']

/** A manifest directory (`manifests: deploy/k8s`) holds the app's Deployment. */
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: { name: shop }
spec:
  selector: { matchLabels: { app: shop } }
  template:
    metadata: { labels: { app: shop } }
    spec: { containers: [{ name: app, image: shop:1, ports: [{ containerPort: 8080 }] }] }
`

function contentFor(entry: string): string {
  if (entry.startsWith('generic:')) return "export const VERSION = '1.4.2' // x-slipway-version\n"
  if (entry.endsWith('.json')) return '{ "version": "1.4.2" }\n'
  return 'KEY=value\n'
}

export function provideCheckoutFiles(inputs: Record<string, string>, workspace: string): void {
  const write = (path: string, content: string) => {
    const file = join(workspace, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
  for (const name of CHECKOUT_FILE_INPUTS) {
    for (const entry of (inputs[name] ?? '').split(/[\n,]/).map(item => item.trim())) {
      const path = entry.replace(/^[a-z]+:/, '')
      if (path === '' || isAbsolute(path) || path.includes('*')) continue
      write(path, contentFor(entry))
    }
  }
  const manifests = inputs.manifests?.trim()
  if (manifests && !isAbsolute(manifests) && !/\.ya?ml$/.test(manifests)) {
    write(join(manifests, 'deployment.yaml'), MANIFEST)
  }
  // helm-chart names a chart directory; helm-values its values files.
  const chart = inputs['helm-chart']?.trim()
  if (chart && !isAbsolute(chart) && !/\.(tgz|tar\.gz)$/.test(chart))
    write(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 0.1.0\n')
  for (const file of (inputs['helm-values'] ?? '').split(/[\n,]/).map(item => item.trim()))
    if (file && !isAbsolute(file)) write(file, 'replicaCount: 2\n')
}

/**
 * Helm mode looks for `helm` on PATH when its settings are parsed (GitHub-hosted runners have
 * it): a stand-in that is never run, in the runner's temporary directory, first on PATH.
 */
function withHelmOnPath<T>(inputs: Record<string, string>, runnerEnv: RunnerEnv, fn: () => T): T {
  if (!inputs['helm-chart']) return fn()
  const bin = join(runnerEnv.runnerTemp, 'helm-bin')
  mkdirSync(bin, { recursive: true })
  writeFileSync(join(bin, 'helm'), '#!/bin/sh\nexit 1\n', { mode: 0o755 })
  const path = process.env.PATH
  process.env.PATH = `${bin}:${path ?? ''}`
  try {
    return fn()
  } finally {
    process.env.PATH = path
  }
}

export function removeRunnerEnv(runnerEnv: RunnerEnv): void {
  for (const dir of [runnerEnv.workspace, runnerEnv.runnerTemp])
    rmSync(dir, { recursive: true, force: true })
}

/** Runs the action's own input validation; a UserError (an InputError above all) is a finding. */
export function validationFinding(
  actionName: string,
  inputs: Record<string, string>,
  runnerEnv: RunnerEnv
): string | undefined {
  provideCheckoutFiles(inputs, runnerEnv.workspace)
  const source = new Inputs(name => inputs[name])
  const fallbacks = { token: 'ghs_dummyTokenForTheDocsTest' }
  // Some providers read their files relative to the process's directory, which on the runner
  // is the workspace: the test stands where the runner would.
  const cwd = process.cwd()
  process.chdir(runnerEnv.workspace)
  try {
    if (actionName === '(root)')
      withHelmOnPath(inputs, runnerEnv, () => parsePipelineSettings(source, runnerEnv, fallbacks))
    else {
      const stage = STAGE_OF[actionName]
      if (!stage) return `no stage is known for action ${actionName}`
      withHelmOnPath(inputs, runnerEnv, () =>
        STAGE_REGISTRY[stage].parse(source, runnerEnv, fallbacks)
      )
    }
  } catch (error) {
    if (error instanceof UserError) return error.message
    throw error
  } finally {
    process.chdir(cwd)
  }
  return undefined
}

function keyFindings(
  at: string,
  given: Mapping | undefined,
  declared: Record<string, unknown> | undefined,
  what: string,
  target: string
): string[] {
  const names = Object.keys(declared ?? {})
  return Object.keys(given ?? {})
    .filter(key => !names.includes(key))
    .map(key => `${at}: ${what} '${key}' is not declared by ${target}`)
}

/**
 * The findings of one workflow snippet. Line numbers point at the block; the step is named by
 * its id, name or position so the reader finds it.
 */
export function workflowFindings(block: YamlBlock, doc: Workflow, runnerEnv: RunnerEnv): string[] {
  const findings: string[] = []
  const partial = elidedSteps(block.text)
  for (const [jobId, job] of jobsOf(doc)) {
    if (job.uses) {
      const resolved = resolveUses(normalizeUses(job.uses))
      if (resolved.kind !== 'workflow') continue
      const at = `${where(block)}: job ${jobId}`
      const called = readReusableWorkflow(resolved.file)
      if (!called) {
        findings.push(`${at}: ${resolved.file} does not exist or has no workflow_call trigger`)
        continue
      }
      findings.push(...keyFindings(at, job.with, called.inputs, 'input', resolved.file))
      if (isMapping(job.secrets)) {
        findings.push(...keyFindings(at, job.secrets, called.secrets, 'secret', resolved.file))
      }
      continue
    }
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (!isMapping(step) || typeof step.uses !== 'string') continue
      const resolved = resolveUses(normalizeUses(step.uses))
      const at = `${where(block)}: job ${jobId} step ${step.id ?? step.name ?? index + 1}`
      if (resolved.kind === 'local-other') {
        findings.push(`${at}: ${step.uses} is not one of our actions`)
        continue
      }
      if (resolved.kind !== 'action') continue
      const action = readActionYaml(resolved.file)
      if (!action) {
        findings.push(`${at}: ${resolved.file} does not exist`)
        continue
      }
      const given = isMapping(step.with) ? step.with : {}
      const unknown = keyFindings(at, given, action.inputs, 'input', resolved.file)
      findings.push(...unknown)
      if (unknown.length > 0 || partial) continue
      const problem = validationFinding(resolved.name, runnerInputs(action, given), runnerEnv)
      if (problem) findings.push(`${at}: ${resolved.file} rejects its inputs: ${problem}`)
    }
  }
  return findings
}

/** A `with:` shown on its own, for the action the page is about. */
export function inputsFindings(block: YamlBlock, doc: Mapping, actionName: string): string[] {
  const file = actionName === '(root)' ? 'action.yml' : `actions/${actionName}/action.yml`
  return keyFindings(where(block), doc, readActionYaml(file)?.inputs, 'input', file)
}

/** A config file snippet against slipway.schema.json, as the actions load it. */
export function configFindings(block: YamlBlock): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'slipway-docs-config-')), 'slipway.yml')
  writeFileSync(file, block.text)
  // The generated schema, as users' editors and the actions see it.
  const schema = JSON.parse(readFileSync(join(repoRoot, 'slipway.schema.json'), 'utf8')) as object
  try {
    loadConfigFile(file, schema)
  } catch (error) {
    if (error instanceof UserError) return [`${where(block)}: ${error.message}`]
    throw error
  } finally {
    rmSync(dirname(file), { recursive: true, force: true })
  }
  return []
}
