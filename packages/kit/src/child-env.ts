/**
 * The environment our child programs get. A step's environment holds the runner's private
 * channels: every `INPUT_*` (the GitHub token, SSH keys, webhook URLs), the `ACTIONS_*` runtime,
 * cache and OIDC tokens, and the file-command paths through which a program could write our
 * outputs unredacted. A child program must not inherit them, so children start from an allowlist
 * of what programs need to run, plus what the caller passes explicitly.
 */

/** Variables a program needs to find itself, its files, its locale, its certificates and its network. */
const PASSED = new Set([
  // Finding programs and the user's files (git and ssh read ~/.gitconfig, ~/.ssh; the runner's
  // `safe.directory` lives in the global git config).
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  // Locale and time zone: programs' messages and dates, and the encoding of file names.
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'TZ',
  // Where temporary files belong: on a runner, RUNNER_TEMP is emptied after every job.
  'TMPDIR',
  'TMP',
  'TEMP',
  'RUNNER_TEMP',
  // Corporate certificate authorities and proxies: without them a child cannot reach the network.
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  // The container and cluster endpoints a deployment talks to, and the ssh agent a deploy key
  // was loaded into (git push over ssh).
  'DOCKER_HOST',
  'DOCKER_CONFIG',
  'DOCKER_CONTEXT',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
  'KUBECONFIG',
  'SSH_AUTH_SOCK',
  // Where the job runs, for programs that behave differently in CI. None of these is a secret.
  'CI',
  'RUNNER_OS',
  'RUNNER_ARCH',
  'RUNNER_TOOL_CACHE',
  'GITHUB_ACTIONS',
  'GITHUB_WORKSPACE',
  'GITHUB_REPOSITORY',
  'GITHUB_SHA',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_SERVER_URL'
])

/** Locale categories (LC_CTYPE, LC_MESSAGES, …) travel with LANG. */
const PASSED_PREFIX = /^LC_[A-Z]+$/

/**
 * Never handed to a child, even when a caller passes them: the runner's inputs and tokens, and
 * the file commands (writing GITHUB_OUTPUT or GITHUB_ENV would bypass our redaction).
 */
const PRIVATE =
  /^(INPUT_.*|ACTIONS_.*|GITHUB_TOKEN|GITHUB_(OUTPUT|ENV|PATH|STATE|STEP_SUMMARY)|RUNNER_DEBUG_TOKEN)$/

/** True for a variable that belongs to the runner or to our inputs and must not reach a child. */
export function isPrivateVariable(name: string): boolean {
  return PRIVATE.test(name.toUpperCase())
}

/**
 * A minimal environment for a child program: the allowlisted variables of `source` (this
 * process's environment by default) plus `extra`. An `undefined` in `extra` removes a variable.
 */
export function childEnvironment(
  extra: Record<string, string | undefined> = {},
  source: NodeJS.ProcessEnv = process.env
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || isPrivateVariable(name)) continue
    if (PASSED.has(name) || PASSED_PREFIX.test(name)) env[name] = value
  }
  return withExtra(env, extra)
}

/**
 * The environment of a user's hook command: the job's own variables (what the workflow set with
 * `env:` is what the user passes to their hooks, e.g. cloud credentials or a state directory),
 * without the runner's private channels, plus our `SLIPWAY_*` values in `extra`.
 */
export function hookEnvironment(
  extra: Record<string, string | undefined> = {},
  source: NodeJS.ProcessEnv = process.env
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && !isPrivateVariable(name)) env[name] = value
  }
  return withExtra(env, extra)
}

/**
 * The environment of a program started with `env` and an optional `baseEnv` (the options of the
 * kit's `run` and of streaming starters): the minimal environment plus `env`, or `baseEnv` plus
 * `env` when a caller brings its own, never with the runner's private variables.
 */
export function spawnEnvironment(
  env: Record<string, string | undefined> = {},
  baseEnv?: NodeJS.ProcessEnv
): Record<string, string> {
  return baseEnv ? hookEnvironment(env, baseEnv) : childEnvironment(env)
}

function withExtra(
  env: Record<string, string>,
  extra: Record<string, string | undefined>
): Record<string, string> {
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined || isPrivateVariable(name)) delete env[name]
    else env[name] = value
  }
  return env
}
