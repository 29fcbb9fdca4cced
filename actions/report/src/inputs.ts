import { InputError, parseDuration, type Inputs } from '@slipway/kit'
import { parseStages, parseTimeline, type RunInfo, type Targets } from '@slipway/report'

/** `30d`, `12h`, … in ms, or undefined for `all`. */
export function readWindow(inputs: Inputs): number | undefined {
  const text = inputs.string('window', { default: '30d' })!
  if (text === 'all') return undefined
  const ms = parseDuration(text)
  if (ms === undefined || ms <= 0)
    throw new InputError('window', 'a duration such as 30d or 12h, or all', text)
  return ms
}

function percent(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const value = Number(text.replace(/%$/, ''))
  if (!/^\d+(\.\d+)?%?$/.test(text) || value > 100)
    throw new InputError(name, 'a percentage from 0 to 100', text)
  return value
}

export function readTargets(inputs: Inputs): Targets {
  return {
    successRate: percent('target-success-rate', inputs.string('target-success-rate'), 99),
    rollbackSuccessRate: percent(
      'target-rollback-success-rate',
      inputs.string('target-rollback-success-rate'),
      100
    ),
    deployTimeMs: inputs.duration('target-deploy-time', { default: '30m', min: 1 })!,
    mttrMs: inputs.duration('target-mttr', { default: '1h', min: 1 })!
  }
}

export function readRun(inputs: Inputs): RunInfo {
  const links = inputs.list('links').map(entry => {
    const at = entry.indexOf('=')
    const name = at > 0 ? entry.slice(0, at).trim() : ''
    const url = at > 0 ? entry.slice(at + 1).trim() : ''
    if (!name || !/^https?:\/\//.test(url))
      throw new InputError('links', 'entries like Name=https://…', entry)
    return { name, url }
  })
  return {
    version: inputs.string('version'),
    previousVersion: inputs.string('previous-version'),
    strategy: inputs.string('strategy'),
    status: inputs.string('status'),
    deploymentId: inputs.int('deployment-id', { min: 1 }),
    environmentUrl: inputs.url('environment-url')?.toString(),
    stages: parseStages(inputs.yaml('stages'), 'stages'),
    timeline: parseTimeline(inputs.json('timeline'), 'timeline'),
    links
  }
}
