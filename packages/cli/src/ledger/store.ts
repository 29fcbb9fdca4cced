import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export type Json = Record<string, unknown>

/** The ledger file: what GitHub would hold for this project (deployments, statuses, releases). */
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

/** Reads the file (or starts empty); every change is written back atomically (temp + rename). */
export class LedgerStore {
  data: LedgerData

  constructor(readonly path: string) {
    if (existsSync(path)) {
      let parsed: unknown
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8'))
      } catch (error) {
        throw new Error(`The ledger ${path} is not valid JSON: ${(error as Error).message}`, {
          cause: error
        })
      }
      if (!parsed || (parsed as LedgerData).slipwayLedger !== 1)
        throw new Error(`${path} is not a Slipway ledger (no "slipwayLedger": 1)`)
      this.data = { ...emptyLedger(), ...(parsed as LedgerData) }
    } else this.data = emptyLedger()
  }

  nextId(): number {
    return this.data.nextId++
  }

  save(): void {
    mkdirSync(dirname(this.path), { recursive: true })
    const temp = `${this.path}.${process.pid}.tmp`
    writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`)
    renameSync(temp, this.path)
  }
}
