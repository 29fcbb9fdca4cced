import { InputError, parseDuration } from '@slipway/kit'

/** One stage of this run (preflight, backup, deploy, …) as the pipeline or the user reports it. */
export interface StageTiming {
  name: string
  status: string
  startedAtMs?: number
  durationMs?: number
  detail?: string
}

/** A step of the strategy (deploy-strategy's timeline: ms since the deploy started). */
export interface TimelineStep {
  atMs: number
  step: string
  detail?: string
  ok?: boolean
  durationMs?: number
}

/**
 * Reads the `stages` input: a list (`- name: deploy, status: success, duration: 2m`) or a
 * map (`deploy: { status: success, started: 2026-…, duration: 95s }`), or the pipeline's `timeline`
 * output (`[{stage, status, startedAt, durationMs, detail}]`); `duration` is a
 * duration text or milliseconds; `started`/`finished` are ISO times or epoch ms.
 */
export function parseStages(input: unknown, name = 'stages'): StageTiming[] {
  if (input === undefined || input === null) return []
  const entries: [string | undefined, unknown][] = Array.isArray(input)
    ? input.map(item => [undefined, item])
    : typeof input === 'object'
      ? Object.entries(input as Record<string, unknown>)
      : []
  if (entries.length === 0 && !(Array.isArray(input) || typeof input === 'object'))
    throw new InputError(
      name,
      'a list or map of stages with name, status and duration',
      String(input)
    )
  return entries.map(([key, raw]) => {
    const item = (typeof raw === 'string' ? { status: raw } : raw) as Record<string, unknown>
    if (!item || typeof item !== 'object')
      throw new InputError(
        name,
        'each stage an object with status and duration',
        JSON.stringify(raw)
      )
    const stageName = String(item.name ?? item.stage ?? key ?? '')
    if (!stageName) throw new InputError(name, 'each stage to have a name', JSON.stringify(raw))
    const startedAtMs = time(
      item.started ?? item.startedAt ?? item.start,
      `${name}.${stageName}.started`
    )
    const finishedAtMs = time(item.finished ?? item.end, `${name}.${stageName}.finished`)
    let durationMs = durationOf(item.duration ?? item.durationMs, `${name}.${stageName}.duration`)
    if (durationMs === undefined && startedAtMs !== undefined && finishedAtMs !== undefined)
      durationMs = finishedAtMs - startedAtMs
    return {
      name: stageName,
      status: String(item.status ?? item.outcome ?? 'unknown'),
      startedAtMs,
      durationMs,
      detail: item.detail === undefined ? undefined : String(item.detail)
    }
  })
}

/** Reads the `timeline` input: deploy-strategy's events `[{atMs, step, detail, ok}]`. */
export function parseTimeline(input: unknown, name = 'timeline'): TimelineStep[] {
  if (input === undefined || input === null) return []
  if (!Array.isArray(input))
    throw new InputError(name, 'a JSON list of {atMs, step, detail, ok}', JSON.stringify(input))
  return input.map(raw => {
    const item = raw as Record<string, unknown>
    if (!item || typeof item.step !== 'string' || typeof item.atMs !== 'number')
      throw new InputError(name, 'each event with a numeric atMs and a step', JSON.stringify(raw))
    return {
      atMs: item.atMs,
      step: item.step,
      detail: item.detail === undefined ? undefined : String(item.detail),
      ok: item.ok === undefined ? undefined : Boolean(item.ok),
      durationMs: typeof item.durationMs === 'number' ? item.durationMs : undefined
    }
  })
}

function time(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number') return value
  if (value instanceof Date) return value.getTime()
  const text = String(value)
  const parsed = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
  if (Number.isNaN(parsed)) throw new InputError(name, 'an ISO time or epoch milliseconds', text)
  return parsed
}

function durationOf(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number') return value
  const parsed = parseDuration(String(value))
  if (parsed === undefined)
    throw new InputError(name, 'a duration such as 95s or 2m', String(value))
  return parsed
}

/** Mermaid needs task names without its separators. */
function label(text: string): string {
  return (
    text
      .replace(/[:;#\n\r]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() || 'step'
  )
}

/**
 * The run as a mermaid gantt: stages laid end to end (or at their start times), then the
 * strategy's steps, each lasting until the next one. Times are epoch ms (`dateFormat x`).
 */
export function ganttOf(
  stages: StageTiming[],
  timeline: TimelineStep[],
  options: { deployStartedAtMs?: number; title?: string } = {}
): string | undefined {
  const lines: string[] = []
  let cursor = stages.find(s => s.startedAtMs !== undefined)?.startedAtMs ?? 0
  const stageLines: string[] = []
  let deployStart = options.deployStartedAtMs
  for (const [index, stage] of stages.entries()) {
    if (stage.durationMs === undefined) continue
    const start = stage.startedAtMs ?? cursor
    const end = start + Math.max(stage.durationMs, 1)
    const tag = /^(success|passed|ok|skipped)$/i.test(stage.status)
      ? 'done'
      : /fail|error/i.test(stage.status)
        ? 'crit'
        : 'active'
    stageLines.push(`    ${label(stage.name)} :${tag}, s${index}, ${start}, ${end}`)
    if (deployStart === undefined && /deploy/i.test(stage.name)) deployStart = start
    cursor = end
  }
  const stepLines: string[] = []
  const base = deployStart ?? 0
  for (const [index, step] of timeline.entries()) {
    const next = timeline[index + 1]
    const start = base + step.atMs
    const duration = step.durationMs ?? (next ? next.atMs - step.atMs : 1)
    const end = start + Math.max(duration, 1)
    const tag = step.ok === false ? 'crit' : 'done'
    const text = step.detail ? `${step.step} ${step.detail}` : step.step
    stepLines.push(`    ${label(text).slice(0, 60)} :${tag}, t${index}, ${start}, ${end}`)
  }
  if (stageLines.length === 0 && stepLines.length === 0) return undefined
  const span =
    Math.max(...[...stageLines, ...stepLines].map(line => Number(line.split(', ').pop())), 0) -
    Math.min(...[...stageLines, ...stepLines].map(line => Number(line.split(', ')[2])))
  lines.push('gantt')
  if (options.title) lines.push(`    title ${label(options.title)}`)
  lines.push('    dateFormat x')
  lines.push(`    axisFormat ${span >= 3_600_000 ? '%H:%M' : '%M:%S'}`)
  if (stageLines.length > 0) lines.push('    section Stages', ...stageLines)
  if (stepLines.length > 0) lines.push('    section Strategy', ...stepLines)
  return lines.join('\n')
}
