import type { StatsFs } from 'node:fs'
import { freemem, totalmem } from 'node:os'
import type { Probe } from './types.js'

// node:fs/promises is loaded by the first probe that reads the disk or /proc, not with the
// module: a start that stops at an input error measures nothing.
const fs = () => process.getBuiltinModule('node:fs/promises')

export interface DiskSpec {
  /** Any path on the file system to measure (it must exist). */
  path: string
  /** Minimum free bytes available to unprivileged users. */
  minFreeBytes: number
}

/** Passes when the file system holding `path` has at least `minFreeBytes` available (statfs `bavail`). */
export const diskProbe: Probe<DiskSpec> = async spec => {
  let stats: StatsFs
  try {
    stats = await fs().statfs(spec.path)
  } catch (error) {
    return {
      ok: false,
      message: `cannot measure ${spec.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
    }
  }
  const freeBytes = Number(stats.bavail) * Number(stats.bsize)
  const totalBytes = Number(stats.blocks) * Number(stats.bsize)
  const details = { freeBytes, totalBytes, minFreeBytes: spec.minFreeBytes }
  const shown = `${formatBytes(freeBytes)} free of ${formatBytes(totalBytes)} on ${spec.path}`
  if (freeBytes < spec.minFreeBytes)
    return { ok: false, message: `${shown}, need ${formatBytes(spec.minFreeBytes)}`, details }
  return { ok: true, message: `${shown} (need ${formatBytes(spec.minFreeBytes)})`, details }
}

export interface MemorySpec {
  /** Minimum available memory in bytes (Linux `MemAvailable`, which counts reclaimable cache). */
  minFreeBytes: number
}

/** Passes when the machine has at least `minFreeBytes` of memory available. */
export const memoryProbe: Probe<MemorySpec> = async spec => {
  const freeBytes = await availableMemory()
  const totalBytes = totalmem()
  const details = { freeBytes, totalBytes, minFreeBytes: spec.minFreeBytes }
  const shown = `${formatBytes(freeBytes)} of ${formatBytes(totalBytes)} memory available`
  if (freeBytes < spec.minFreeBytes)
    return { ok: false, message: `${shown}, need ${formatBytes(spec.minFreeBytes)}`, details }
  return { ok: true, message: `${shown} (need ${formatBytes(spec.minFreeBytes)})`, details }
}

/** `os.freemem()` leaves out the page cache the kernel would give back; /proc/meminfo does not. */
async function availableMemory(): Promise<number> {
  try {
    const match = /^MemAvailable:\s+(\d+) kB$/m.exec(await fs().readFile('/proc/meminfo', 'utf8'))
    if (match) return Number(match[1]) * 1024
  } catch {
    // not Linux
  }
  return freemem()
}

const UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40
}

/**
 * Parses sizes such as `2GiB`, `500MB`, `1.5 GiB`, `1048576` (bytes). SI units are powers of
 * 1000, IEC units (KiB, MiB, GiB, TiB) powers of 1024. Undefined when the text is not a size.
 */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  if (!match) return undefined
  const unit = match[2].toLowerCase() || 'b'
  const factor = UNITS[unit]
  if (factor === undefined) return undefined
  return Math.round(Number(match[1]) * factor)
}

/** Bytes for people, in IEC units: `512 B`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`
}
