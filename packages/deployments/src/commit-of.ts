import { run } from '@slipway/kit'

const SHA = /^[0-9a-f]{40}$/
/** What the local ledger has always recorded when the checkout has no commit at all. */
const NO_COMMIT = '0'.repeat(40)

/**
 * The commit a local deployment records, from the project's checkout: the version itself when
 * it is a full SHA, else the commit of the tag named `version`, else (a build number, say) the
 * commit of `fallbackRef`, else HEAD. Annotated tags are peeled to their commit, as GitHub does.
 */
export async function deploymentCommitOf(
  cwd: string,
  version: string,
  fallbackRef?: string
): Promise<string> {
  if (SHA.test(version)) return version
  const tagged = await commitAt(cwd, `refs/tags/${version}`)
  if (tagged) return tagged
  if (fallbackRef && SHA.test(fallbackRef)) return fallbackRef
  // A ref starting with '-' would be read as an option: such a name is no ref anyway.
  const fallback = fallbackRef && !fallbackRef.startsWith('-') && (await commitAt(cwd, fallbackRef))
  return fallback || (await commitAt(cwd, 'HEAD')) || NO_COMMIT
}

async function commitAt(cwd: string, ref: string): Promise<string | undefined> {
  const parsed = await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd,
    timeoutMs: 30_000
  })
  const sha = parsed.stdout.trim()
  return parsed.exitCode === 0 && SHA.test(sha) ? sha : undefined
}
