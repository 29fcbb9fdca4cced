import { InputError } from '@slipway/kit'
import type { RuntimeChannel } from './channel.js'
import { parseServersState, parseStat, type ServerState, type StatRow } from './parse.js'

/** HAProxy answered a runtime command with an error (any non-empty answer to a `set` command). */
export class RuntimeCommandError extends Error {
  constructor(
    readonly command: string,
    readonly answer: string,
    label: string
  ) {
    super(`HAProxy (${label}) refused '${command}': ${answer.trim()}`)
    this.name = 'RuntimeCommandError'
  }
}

/**
 * HAProxy's names are letters, digits and `-_.:`. Checking this before building a command line
 * is what keeps a name from smuggling a second command in: the CLI splits lines on `;`.
 */
const NAME = /^[A-Za-z0-9_.:-]{1,64}$/

export function checkName(input: string, value: string, what: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new InputError(
      input,
      `${what}: 1–64 characters of letters, digits, '-', '_', '.', ':'`,
      value
    )
  }
  return value
}

export function checkWeight(input: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 256) {
    throw new InputError(input, 'an integer weight from 0 to 256 (HAProxy server weight)', value)
  }
  return value
}

const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[?[0-9A-Fa-f:.]{2,45}\]?)$/

export function checkHost(input: string, value: unknown): string {
  if (typeof value !== 'string' || !HOST.test(value))
    throw new InputError(input, 'an IP address or host name', value)
  return value
}

export function checkPort(input: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InputError(input, 'a TCP port from 1 to 65535', value)
  }
  return value
}

export type AdminState = 'ready' | 'drain' | 'maint'

/**
 * A typed client of HAProxy's runtime API. Every method builds its command line from validated
 * values only, sends it over a channel (unix socket or SSH) and treats any non-empty answer of a
 * `set` command as an error: HAProxy answers nothing when it applied one.
 */
export class RuntimeApi {
  constructor(
    readonly channel: RuntimeChannel,
    private readonly timeoutMs = 5000
  ) {}

  /** Sends a command as is and returns HAProxy's answer (no validation: for tests and `show` commands). */
  async raw(command: string): Promise<string> {
    if (/[\n\r]/.test(command)) throw new Error('a runtime command is one line')
    return this.channel.send(command, this.timeoutMs)
  }

  /**
   * Runs `set` commands joined with `;` in one exchange, so HAProxy applies them back to back
   * (microseconds apart) in the order given. Throws with HAProxy's answer when any of them failed.
   */
  async apply(commands: string[]): Promise<void> {
    if (commands.length === 0) return
    const line = commands.join('; ')
    const answer = await this.raw(line)
    if (answer.trim() !== '') throw new RuntimeCommandError(line, answer, this.channel.label)
  }

  setWeightCommand(backend: string, server: string, weight: number): string {
    return `set server ${checkName('backend', backend, 'an HAProxy backend name')}/${checkName('server', server, 'an HAProxy server name')} weight ${checkWeight(`weights.${server}`, weight)}`
  }

  setStateCommand(backend: string, server: string, state: AdminState): string {
    if (!['ready', 'drain', 'maint'].includes(state))
      throw new InputError('state', 'ready, drain or maint', state)
    return `set server ${checkName('backend', backend, 'an HAProxy backend name')}/${checkName('server', server, 'an HAProxy server name')} state ${state}`
  }

  async setWeight(backend: string, server: string, weight: number): Promise<void> {
    return this.apply([this.setWeightCommand(backend, server, weight)])
  }

  async setState(backend: string, server: string, state: AdminState): Promise<void> {
    return this.apply([this.setStateCommand(backend, server, state)])
  }

  /** `set server b/s addr <host> port <port>`: HAProxy answers with a notice on success, so that one is accepted. */
  async setAddress(backend: string, server: string, host: string, port: number): Promise<void> {
    if (typeof host !== 'string' || !HOST.test(host))
      throw new InputError('address', 'an IP address or host name', host)
    checkPort('port', port)
    const line = `set server ${checkName('backend', backend, 'an HAProxy backend name')}/${checkName('server', server, 'an HAProxy server name')} addr ${host} port ${port}`
    const answer = await this.raw(line)
    const text = answer.trim()
    if (text !== '' && !/changed from|no need to change/i.test(text))
      throw new RuntimeCommandError(line, answer, this.channel.label)
  }

  /** `show servers state [backend]`, parsed. */
  async serversState(backend?: string): Promise<ServerState[]> {
    const line =
      backend === undefined
        ? 'show servers state'
        : `show servers state ${checkName('backend', backend, 'an HAProxy backend name')}`
    const answer = await this.raw(line)
    if (/^Can't find backend/im.test(answer))
      throw new InputError('backend', 'a backend HAProxy has loaded', backend)
    return parseServersState(answer)
  }

  /** The raw `show servers state` text: the format HAProxy's `server-state-file` expects. */
  serversStateText(): Promise<string> {
    return this.raw('show servers state')
  }

  /** `show stat` (CSV), parsed. */
  async stat(): Promise<StatRow[]> {
    return parseStat(await this.raw('show stat'))
  }

  /** Sessions currently using a server (`scur` in `show stat`): requests in flight through it. */
  async currentSessions(backend: string, server: string): Promise<number> {
    checkName('backend', backend, 'an HAProxy backend name')
    checkName('server', server, 'an HAProxy server name')
    const row = (await this.stat()).find(r => r.pxname === backend && r.svname === server)
    if (!row) throw new InputError('server', `a server of backend ${backend}`, server)
    return Number(row.scur || 0)
  }
}
