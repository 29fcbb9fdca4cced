import { isAbsolute, resolve } from 'node:path'
import { InputError, type Inputs, type RunnerEnv } from '@slipway/kit'
import { parseRepository, type RepoRef } from '@slipway/github'
import { FORMATS, type NotifyFormat } from '@slipway/notify'
import { parsePushSettings } from '@slipway/monitoring'
import { parseSections, type Section } from './notes.js'
import type { MakeLatest } from './port.js'
import { parseVersionFiles, type VersionFile } from './release-pr/version-files.js'
import {
  packageFile,
  parsePackages,
  type Attribution,
  type ReleasePackage
} from './release-pr/monorepo.js'
import {
  validatePrereleaseId,
  validateReleaseAs,
  validateTagName,
  validateTagPrefix
} from './validate.js'

/** tag-and-release's inputs, validated, with defaults applied and paths resolved. */
export interface ReleaseSettings {
  /** The checkout to read and tag (working-directory against the workspace). */
  cwd: string
  sha?: string
  tagPrefix: string
  paths: string[]
  prerelease?: string
  bumpMajorPreMajor: boolean
  releaseAs?: string
  extraSections: Section[]
  changelogFile?: string
  useGit: boolean
  assets: string[]
  checksums: boolean
  makeLatest: MakeLatest
  majorTag: boolean
  promote?: string
  dryRun: boolean
  /** `release` tags and releases now; `pull-request` proposes the release as a pull request. */
  mode: 'release' | 'pull-request'
  /** Release-PR mode: the files whose version the release commit bumps. */
  versionFiles: VersionFile[]
  /** Release-PR mode: the branch the pull request is made from. */
  releaseBranch: string
  /** Release-PR mode: the branch released from (the checkout's branch when absent). */
  baseBranch?: string
  /** Release-PR mode in a monorepo: one release pull request per package. */
  packages: Array<ReleasePackage & { versionFiles: VersionFile[] }>
  attribution: Attribution
  /** For the release commit's temporary worktree. */
  tempDir: string
  /** Needed unless dry-run: writes tags, releases and assets. */
  token?: string
  /** `owner/name` as given (or the runner's repository), for messages and notifications. */
  repositoryName?: string
  repository?: RepoRef
  /** `https://github.com/owner/name`, for links in the notes and the summary. */
  repoUrl?: string
  webhook: { url?: string; format: NotifyFormat }
  /** Where a release is pushed as `slipway_deploy_*` series (`pushgateway-url`). */
  pushgatewayUrl?: string
  /** The values the front end masks before running: the token, the webhook and Pushgateway URLs. */
  readonly secrets: string[]
}

/**
 * Reads and checks every input of tag-and-release; the only place their user errors come
 * from. Changes nothing.
 */
export function parseReleaseSettings(inputs: Inputs, runnerEnv: RunnerEnv): ReleaseSettings {
  const token = inputs.string('token')
  const repositoryName = inputs.string('repository') ?? runnerEnv.repository
  const repository = parseRepository(repositoryName)
  if (repositoryName && !repository)
    throw new InputError('repository', 'owner/name', repositoryName)
  const extraSectionsText = inputs.list('extra-sections')
  const extraSections = parseSections(extraSectionsText)
  if (!extraSections)
    throw new InputError(
      'extra-sections',
      'type: Title pairs such as "docs: Documentation"',
      extraSectionsText.join(', ')
    )
  const dir = inputs.string('working-directory', { default: '.' })
  const cwd = isAbsolute(dir) ? dir : resolve(runnerEnv.workspace, dir)
  const dryRun = inputs.bool('dry-run')
  const mode = inputs.enumOf('mode', ['release', 'pull-request'] as const, { default: 'release' })
  const packageList = parsePackages('packages', inputs.list('packages'), cwd)
  const versionFileEntries = inputs.list('version-files')
  // In a monorepo the version files are named relative to each package.
  const versionFiles = packageList.length
    ? []
    : parseVersionFiles('version-files', versionFileEntries, cwd)
  const packages = packageList.map(pkg => ({
    ...pkg,
    versionFiles: parseVersionFiles(
      'version-files',
      versionFileEntries,
      resolve(cwd, pkg.path)
    ).map(file => ({ ...file, path: packageFile(pkg, file.path) }))
  }))
  const attribution = inputs.enumOf('attribution', ['paths', 'paths-and-scopes'] as const, {
    default: 'paths'
  })
  const releaseBranch = branchName(
    'release-branch',
    inputs.string('release-branch', { default: 'slipway/release' })
  )!
  const baseBranch = branchName('base-branch', inputs.string('base-branch'))
  if (mode === 'pull-request' && inputs.string('promote'))
    throw new InputError(
      'promote',
      'no value with mode: pull-request (promote a prerelease with mode: release)',
      inputs.string('promote')
    )
  const webhookUrl = inputs.string('webhook-url')
  const webhookFormat = inputs.enumOf('webhook-format', FORMATS, { default: 'slack' })
  const push = parsePushSettings(inputs)
  if (!dryRun && !token)
    throw new InputError('token', 'a token with contents: write (or dry-run: true)', token)
  if (!dryRun && !repository)
    throw new InputError(
      'repository',
      'owner/name (set by the runner as GITHUB_REPOSITORY), or dry-run: true',
      repositoryName
    )
  const repoUrl = repository
    ? `${(runnerEnv.serverUrl ?? 'https://github.com').replace(/\/+$/, '')}/${repository.owner}/${repository.repo}`
    : undefined

  return {
    cwd,
    sha: inputs.string('sha'),
    tagPrefix: validateTagPrefix('tag-prefix', inputs.string('tag-prefix', { default: 'v' })),
    paths: inputs.list('path'),
    prerelease: validatePrereleaseId('prerelease', inputs.string('prerelease')),
    bumpMajorPreMajor: inputs.bool('bump-major-pre-major'),
    releaseAs: validateReleaseAs('release-as', inputs.string('release-as')),
    extraSections,
    changelogFile:
      inputs.string('changelog-file') ?? (mode === 'pull-request' ? 'CHANGELOG.md' : undefined),
    useGit: inputs.bool('use-git'),
    assets: inputs.list('assets'),
    checksums: inputs.bool('checksums', true),
    makeLatest: inputs.enumOf('make-latest', ['true', 'false', 'legacy'] as const, {
      default: 'true'
    }),
    majorTag: inputs.bool('major-tag'),
    promote: validateTagName('promote', inputs.string('promote')),
    dryRun,
    mode,
    versionFiles,
    packages,
    attribution,
    releaseBranch,
    baseBranch,
    tempDir: runnerEnv.runnerTemp,
    token,
    repositoryName,
    repository,
    repoUrl,
    webhook: { url: webhookUrl, format: webhookFormat },
    pushgatewayUrl: push.pushgatewayUrl,
    secrets: [token, webhookUrl, ...push.secrets].filter((value): value is string => Boolean(value))
  }
}

/** A git branch name (what `git check-ref-format --branch` accepts, conservatively). */
function branchName(input: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!/^[A-Za-z0-9._/-]+$/.test(value) || /\.\.|\/\/|^[-/.]|[/.]$|\.lock$|\/\./.test(value))
    throw new InputError(input, 'a branch name such as slipway/release', value)
  return value
}
