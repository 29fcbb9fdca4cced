import { appendFileSync, existsSync } from 'node:fs'
import { EOL } from 'node:os'

// The Actions runner's command protocol (workflow commands on stdout, file commands in
// GITHUB_OUTPUT), written here as @actions/core 3 writes it. Loading @actions/core costs
// more than the rest of an action's start-up (it pulls @actions/http-client and undici for
// OIDC tokens, which no Slipway action asks for), and an input error should not pay for it.

/** Command data as the runner unescapes it: `%`, CR and LF escaped. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function issueCommand(command: string, message: string, properties = ''): void {
  process.stdout.write(`::${command}${properties}::${escapeData(message)}${EOL}`)
}

/** Masks `secret` in the rest of the job's log. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', secret)
}

/**
 * Sets a step output: a heredoc in GITHUB_OUTPUT under a random delimiter, or the older
 * `::set-output` command where the runner gives no file (a very old self-hosted runner).
 */
export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT || ''
  if (file) {
    // node:crypto costs milliseconds to load: taken here, where an output is written, so a
    // start that stops at an input error does not pay for it.
    const delimiter = `ghadelimiter_${process.getBuiltinModule('node:crypto').randomUUID()}`
    if (name.includes(delimiter) || value.includes(delimiter)) {
      throw new Error(`Unexpected output: it contains the delimiter "${delimiter}"`)
    }
    if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
    return
  }
  process.stdout.write(EOL)
  const property = name
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/:/g, '%3A')
    .replace(/,/g, '%2C')
  issueCommand('set-output', value, ` name=${property}`)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

/** A warning annotation on the run's page. */
export function warning(message: string): void {
  issueCommand('warning', message)
}

/** An error annotation, and the step fails when the process exits. */
export function setFailed(message: string): void {
  process.exitCode = 1
  issueCommand('error', message)
}

export function startGroup(name: string): void {
  issueCommand('group', name)
}

export function endGroup(): void {
  issueCommand('endgroup', '')
}
