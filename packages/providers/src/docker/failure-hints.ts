import type { ExecResult } from '../transport.js'

/**
 * What the user can do about a failed docker command, when its output says the cause is theirs:
 * docker missing on the host, an Engine it cannot reach, a registry login refused, an image the
 * registry does not have. Undefined for anything else (reported as a bug, with its output).
 */
export function dockerFailureHint(
  what: string,
  result: ExecResult,
  host: string
): string | undefined {
  if (result.timedOut) return undefined
  const output = `${result.stderr}\n${result.stdout}`
  if (result.exitCode === 127 || /\bdocker: (command )?not found/.test(output))
    return `install Docker (the \`docker\` command) on ${host}, or put it on the PATH its login uses.`
  if (/Cannot connect to the Docker daemon|Is the docker daemon running/i.test(output))
    return `start the Docker Engine on ${host} (e.g. \`systemctl start docker\`), or point DOCKER_HOST at a running one.`
  if (/permission denied while trying to connect to the Docker daemon/i.test(output))
    return `let the login on ${host} use Docker (add it to the \`docker\` group), or connect as a user that may.`
  if (
    /^docker login /.test(what) &&
    /unauthorized|incorrect username or password|authentication required|401/i.test(output)
  )
    return 'check the `registry-username` and `registry-password` inputs: the registry refused that login.'
  if (
    /\bpull\b/.test(what) &&
    /manifest unknown|manifest for .* not found|pull access denied|repository does not exist|not found: manifest/i.test(
      output
    )
  )
    return 'check the `image` input: that name and tag (or digest) is not in the registry, or the login may not read it.'
  if (/^docker run /.test(what) && /port is already allocated|address already in use/i.test(output))
    return `free that port on ${host} (another program or container holds it), or choose another \`host-port\`.`
  if (
    /^docker run /.test(what) &&
    /bind source path does not exist|invalid mount config/i.test(output)
  )
    return `check the \`volumes\` input: a source path it names is not on ${host}.`
  return undefined
}
