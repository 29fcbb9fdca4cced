/**
 * Sizes and rates for people. Decimal megabytes, as progress lines and summaries state how much
 * data moved: "1.5 GB at 42.0 MB/s" reads the same as what a disk or a network tool reports.
 */
const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB']

/** `512 B`, `1.5 kB`, `42.0 MB`, `1.2 GB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${SIZE_UNITS[unit]}`
}

/** Bytes over milliseconds as `42.0 MB/s`; `—` when no time has passed yet. */
export function formatByteRate(bytes: number, ms: number): string {
  if (!(ms > 0)) return '—'
  return `${formatBytes((bytes * 1000) / ms)}/s`
}
