/** What happened, in the words every format shares. */
export type NotifyEvent =
  'deploy-success' | 'deploy-failure' | 'rollback-success' | 'rollback-failure' | 'release'

export interface Notification {
  event: NotifyEvent
  environment?: string
  version?: string
  previousVersion?: string
  strategy?: string
  repository?: string
  /** The workflow run (or CI job) that did it. */
  runUrl?: string
  environmentUrl?: string
  releaseUrl?: string
  durationMs?: number
  /** One line: why it failed, what was rolled back. */
  detail?: string
}

export const FORMATS = ['slack', 'teams', 'json'] as const
export type NotifyFormat = (typeof FORMATS)[number]

const TITLES: Record<NotifyEvent, [string, string]> = {
  'deploy-success': ['✅', 'Deployed'],
  'deploy-failure': ['❌', 'Deploy failed'],
  'rollback-success': ['↩️', 'Rolled back'],
  'rollback-failure': ['🚨', 'Rollback failed'],
  release: ['🏷️', 'Released']
}

const COLORS: Record<NotifyEvent, string> = {
  'deploy-success': '2EB67D',
  'deploy-failure': 'E01E5A',
  'rollback-success': 'ECB22E',
  'rollback-failure': 'E01E5A',
  release: '36C5F0'
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
}

/** The headline: `✅ Deployed 1.4.0 to production (canary)`. */
export function headline(n: Notification): string {
  const [icon, verb] = TITLES[n.event]
  const what = n.version ? ` ${n.version}` : ''
  const where = n.environment
    ? n.event === 'release'
      ? ''
      : n.event.startsWith('rollback')
        ? ` in ${n.environment}`
        : ` to ${n.environment}`
    : ''
  const how = n.strategy ? ` (${n.strategy})` : ''
  const repo = n.repository ? `${n.repository}: ` : ''
  return `${icon} ${repo}${verb}${what}${where}${how}`
}

function facts(n: Notification): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Environment', n.environment],
    ['Version', n.version],
    [n.event.startsWith('rollback') ? 'Rolled back from' : 'Previous', n.previousVersion],
    ['Strategy', n.strategy],
    ['Duration', n.durationMs === undefined ? undefined : seconds(n.durationMs)]
  ]
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '')
}

function links(n: Notification): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Run', n.runUrl],
    ['Environment', n.environmentUrl],
    ['Release', n.releaseUrl]
  ]
  return rows.filter((r): r is [string, string] => !!r[1] && /^https?:\/\//.test(r[1]))
}

/** Slack's mrkdwn treats these three as markup. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Slack incoming webhook: `text` is the notification fallback, `blocks` the message. */
export function slackPayload(n: Notification): Record<string, unknown> {
  const title = headline(n)
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } }
  ]
  const fields = facts(n).map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${slackEscape(v)}` }))
  if (fields.length > 0) blocks.push({ type: 'section', fields: fields.slice(0, 10) })
  if (n.detail)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: slackEscape(n.detail).slice(0, 2900) }
    })
  const linkText = links(n)
    .map(([k, url]) => `<${url}|${k}>`)
    .join(' · ')
  if (linkText) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: linkText }] })
  return { text: n.detail ? `${title}: ${n.detail}` : title, blocks }
}

/**
 * Microsoft Teams: an Adaptive Card in a `message` envelope, which Teams Workflows webhooks
 * (the replacement for the retired Office 365 connectors) accept.
 */
export function teamsPayload(n: Notification): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: headline(n),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      color: n.event.endsWith('failure')
        ? 'Attention'
        : n.event === 'rollback-success'
          ? 'Warning'
          : 'Good'
    }
  ]
  const rows = facts(n)
  if (rows.length > 0)
    body.push({ type: 'FactSet', facts: rows.map(([title, value]) => ({ title, value })) })
  if (n.detail) body.push({ type: 'TextBlock', text: n.detail, wrap: true })
  return {
    type: 'message',
    summary: headline(n),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions: links(n).map(([title, url]) => ({ type: 'Action.OpenUrl', title, url }))
        }
      }
    ]
  }
}

/** Our own JSON: the notification's fields plus `text` and `color`, for any other receiver. */
export function jsonPayload(n: Notification): Record<string, unknown> {
  return { source: 'slipway', ...n, text: headline(n), color: `#${COLORS[n.event]}` }
}

export function payloadFor(format: NotifyFormat, n: Notification): Record<string, unknown> {
  return format === 'slack'
    ? slackPayload(n)
    : format === 'teams'
      ? teamsPayload(n)
      : jsonPayload(n)
}
