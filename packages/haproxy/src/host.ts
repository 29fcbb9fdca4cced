import type { Exec } from './channel.js'

/**
 * The machine HAProxy runs on, as far as Slipway needs it: run a fixed command (values in the
 * environment, never in the command text) and edit files. The providers' `Transport`
 * (local or SSH) has exactly this shape, so either can be passed.
 */
export interface FileHost extends Exec {
  readFile(path: string): Promise<string | undefined>
  writeFile(path: string, content: string): Promise<void>
  rename(from: string, to: string): Promise<void>
  remove(path: string): Promise<void>
}

/** This machine: the kit's LocalHost has the FileHost shape. */
export { LocalHost } from '@slipway/kit'
