import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { UserError } from './errors.js'

export type Json = Record<string, unknown>

/**
 * The CLI's local ledger (`.slipway/ledger.json`): what GitHub would hold for the project when
 * there is no token — deployments and their statuses, releases and their assets. The
 * deployment-records and release ports each have a file-backed implementation over it.
 */
export interface LedgerData {
  slipwayLedger: 1
  nextId: number
  deployments: Json[]
  /** Deployment id → statuses, newest first (as the API lists them). */
  statuses: Record<string, Json[]>
  releases: Json[]
  assets: Json[]
}

export function emptyLedger(): LedgerData {
  return { slipwayLedger: 1, nextId: 1, deployments: [], statuses: {}, releases: [], assets: [] }
}

/**
 * One ledger file shared by several ports: every read sees the file as it is now and every
 * change is a read-modify-write replaced atomically (temp + rename), so the deployment records
 * and the releases written by the same run never overwrite each other's sections.
 */
export class LedgerFile {
  constructor(readonly path: string) {}

  read(): LedgerData {
    if (!existsSync(this.path)) return emptyLedger()
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'))
    } catch (error) {
      throw new UserError(
        `The ledger ${this.path} is not valid JSON: ${(error as Error).message}`,
        'restore it from version control or move it away to start an empty ledger'
      )
    }
    if (!parsed || (parsed as LedgerData).slipwayLedger !== 1)
      throw new UserError(
        `${this.path} is not a Slipway ledger (no "slipwayLedger": 1)`,
        'point --ledger (or SLIPWAY_LEDGER) at a Slipway ledger file'
      )
    return { ...emptyLedger(), ...(parsed as LedgerData) }
  }

  /** Applies `change` to the current contents and saves them; returns what `change` returns. */
  update<T>(change: (data: LedgerData) => T): T {
    const data = this.read()
    const result = change(data)
    mkdirSync(dirname(this.path), { recursive: true })
    const temp = `${this.path}.${process.pid}.tmp`
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`)
    renameSync(temp, this.path)
    return result
  }

  /** A new id, unique across deployments, statuses, releases and assets (as on GitHub). */
  static nextId(data: LedgerData): number {
    return data.nextId++
  }
}
