import { isAbsolute, resolve } from 'node:path'
import { InputError, type ActionContext } from '@slipway/kit'
import { parseRepository } from '@slipway/github'
import {
  parseSections,
  tagAndRelease,
  validatePrereleaseId,
  validateReleaseAs,
  validateTagName,
  validateTagPrefix,
  writeSummary
} from '@slipway/release'
import { FORMATS, notifyWebhook } from '@slipway/notify'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info,
  warning
}: ActionContext): Promise<void> {
  const token = inputs.string('token')
  secret(token)
  const repositoryText = inputs.string('repository') ?? process.env.GITHUB_REPOSITORY
  const repository = parseRepository(repositoryText)
  if (repositoryText && !repository)
    throw new InputError('repository', 'owner/name', repositoryText)
  const extraSectionsText = inputs.list('extra-sections')
  const extraSections = parseSections(extraSectionsText)
  if (!extraSections)
    throw new InputError(
      'extra-sections',
      'type: Title pairs such as "docs: Documentation"',
      extraSectionsText.join(', ')
    )
  const dir = inputs.string('working-directory', { default: '.' })!
  const cwd = isAbsolute(dir) ? dir : resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), dir)
  const dryRun = inputs.bool('dry-run')
  const webhookUrl = inputs.string('webhook-url')
  secret(webhookUrl)
  const webhookFormat = inputs.enumOf('webhook-format', FORMATS, { default: 'slack' })
  if (!dryRun && !token)
    throw new InputError('token', 'a token with contents: write (or dry-run: true)', token)
  const repoUrl = repository
    ? `${(process.env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')}/${repository.owner}/${repository.repo}`
    : undefined

  const result = await tagAndRelease({
    cwd,
    sha: inputs.string('sha'),
    tagPrefix: validateTagPrefix('tag-prefix', inputs.string('tag-prefix', { default: 'v' })!),
    paths: inputs.list('path'),
    prerelease: validatePrereleaseId('prerelease', inputs.string('prerelease')),
    bumpMajorPreMajor: inputs.bool('bump-major-pre-major'),
    releaseAs: validateReleaseAs('release-as', inputs.string('release-as')),
    extraSections,
    changelogFile: inputs.string('changelog-file'),
    useGit: inputs.bool('use-git'),
    assets: inputs.list('assets'),
    checksums: inputs.bool('checksums', true),
    makeLatest: inputs.enumOf('make-latest', ['true', 'false', 'legacy'] as const, {
      default: 'true'
    }),
    majorTag: inputs.bool('major-tag'),
    promote: validateTagName('promote', inputs.string('promote')),
    dryRun,
    token,
    repository,
    repoUrl,
    apiUrl: process.env.GITHUB_API_URL,
    warn: warning,
    log: info
  })

  const { plan } = result
  setOutput('released', plan.released)
  setOutput('version', plan.version ?? '')
  setOutput('tag', plan.tag ?? '')
  setOutput('previous-tag', plan.previousTag ?? '')
  setOutput('bump', plan.bump)
  setOutput('release-id', result.releaseId)
  setOutput('release-url', result.releaseUrl)
  setOutput('notes', plan.notes)
  writeSummary(summary, result, repoUrl)
  if (plan.released && !dryRun)
    await notifyWebhook(
      { url: webhookUrl, format: webhookFormat, secret, warning, info },
      {
        event: 'release',
        version: plan.tag,
        previousVersion: plan.previousTag,
        repository: repositoryText,
        releaseUrl: result.releaseUrl,
        detail: `${plan.bump} release`
      }
    )
  info(
    plan.released
      ? `${dryRun ? 'Would release' : 'Released'} ${plan.tag} (${plan.bump})`
      : `No release: ${plan.reason}`
  )
}
