import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { notifyWebhook, sendNotification, type Notification } from '@slipway/notify'

interface Captured {
  method?: string
  path?: string
  headers: IncomingMessage['headers']
  body: unknown
}

/** A local webhook receiver; `answer` decides each response (by attempt number). */
async function receiver(
  answer: (attempt: number, res: ServerResponse) => void = (_, res) => res.end('ok')
): Promise<{ url: string; captured: Captured[]; server: Server }> {
  const captured: Captured[] = []
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', chunk => (text += chunk))
    req.on('end', () => {
      captured.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: JSON.parse(text)
      })
      answer(captured.length, res)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/services/T000/B000/s3cr3tPathToken`, captured, server }
}

let servers: Server[] = []
beforeEach(() => {
  servers = []
})
afterEach(async () => {
  for (const server of servers) {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
})

const failure: Notification = {
  event: 'deploy-failure',
  environment: 'production',
  version: '1.4.0',
  previousVersion: '1.3.2',
  strategy: 'canary',
  repository: 'octo/app',
  runUrl: 'https://github.com/octo/app/actions/runs/1',
  durationMs: 95_000,
  detail: 'canary step 25%: error rate 7% > 1% <script>'
}

function collect() {
  const warnings: string[] = []
  const infos: string[] = []
  const secrets: string[] = []
  return {
    warnings,
    infos,
    secrets,
    settings: {
      secret: (v: string | undefined) => void (v && secrets.push(v)),
      warning: (m: string) => void warnings.push(m),
      info: (m: string) => void infos.push(m)
    }
  }
}

describe('payloads as the receivers get them', () => {
  test('slack: text + blocks, escaped, with links', async () => {
    const hook = await receiver()
    servers.push(hook.server)
    const result = await sendNotification(failure, { url: hook.url, format: 'slack' })
    expect(result).toEqual({ ok: true, attempts: 1, status: 200 })
    const [req] = hook.captured
    expect(req.method).toBe('POST')
    expect(req.path).toBe('/services/T000/B000/s3cr3tPathToken')
    expect(req.headers['content-type']).toBe('application/json')
    const body = req.body as { text: string; blocks: { type: string; [k: string]: unknown }[] }
    expect(body.text).toBe(
      '❌ octo/app: Deploy failed 1.4.0 to production (canary): canary step 25%: error rate 7% > 1% <script>'
    )
    expect(body.blocks.map(b => b.type)).toEqual(['header', 'section', 'section', 'context'])
    expect(JSON.stringify(body.blocks[1])).toContain('*Previous*\\n1.3.2')
    expect(JSON.stringify(body.blocks[1])).toContain('*Duration*\\n1m 35s')
    expect(JSON.stringify(body.blocks[2])).toContain('7% &gt; 1% &lt;script&gt;')
    expect(body.blocks[3]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '<https://github.com/octo/app/actions/runs/1|Run>' }]
    })
  })

  test('teams: an adaptive card in a message envelope', async () => {
    const hook = await receiver()
    servers.push(hook.server)
    await sendNotification(
      {
        event: 'rollback-success',
        environment: 'staging',
        version: '1.3.2',
        previousVersion: '1.4.0',
        environmentUrl: 'https://staging.example.com'
      },
      { url: hook.url, format: 'teams' }
    )
    const body = hook.captured[0].body as {
      type: string
      attachments: {
        contentType: string
        content: { type: string; body: Record<string, unknown>[]; actions: unknown[] }
      }[]
    }
    expect(body.type).toBe('message')
    const card = body.attachments[0]
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(card.content.type).toBe('AdaptiveCard')
    expect(card.content.body[0].text).toBe('↩️ Rolled back 1.3.2 in staging')
    expect(card.content.body[1]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'Environment', value: 'staging' },
        { title: 'Version', value: '1.3.2' },
        { title: 'Rolled back from', value: '1.4.0' }
      ]
    })
    expect(card.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Environment', url: 'https://staging.example.com' }
    ])
  })

  test('json: the fields plus text', async () => {
    const hook = await receiver()
    servers.push(hook.server)
    await sendNotification(
      { event: 'deploy-success', environment: 'production', version: '2.0.0' },
      { url: hook.url, format: 'json' }
    )
    expect(hook.captured[0].body).toEqual({
      source: 'slipway',
      event: 'deploy-success',
      environment: 'production',
      version: '2.0.0',
      text: '✅ Deployed 2.0.0 to production',
      color: '#2EB67D'
    })
  })
})

describe('delivery', () => {
  test('a 502 then a 200: one retry succeeds', async () => {
    const hook = await receiver((attempt, res) => {
      res.statusCode = attempt === 1 ? 502 : 200
      res.end()
    })
    servers.push(hook.server)
    const result = await sendNotification(failure, {
      url: hook.url,
      format: 'slack',
      retryDelayMs: 10
    })
    expect(result).toMatchObject({ ok: true, attempts: 2 })
    expect(hook.captured).toHaveLength(2)
  })

  test('a receiver that never answers times out, is retried once, and only warns', async () => {
    const hook = await receiver(() => undefined)
    servers.push(hook.server)
    const c = collect()
    // That it returns at all proves the timeout: the receiver never answers, so without one
    // this would hang until the test's own deadline fails it.
    const result = await notifyWebhook(
      { url: hook.url, format: 'slack', timeoutMs: 300, ...c.settings },
      failure
    )
    expect(result).toMatchObject({ ok: false, attempts: 2, error: 'no answer within 300ms' })
    expect(hook.captured).toHaveLength(2)
    expect(c.warnings).toEqual([
      'Could not send the deploy-failure notification after 2 attempt(s): no answer within 300ms'
    ])
    expect(c.secrets).toEqual([hook.url])
  })

  test('a 404 is not retried; the warning never holds the URL', async () => {
    const hook = await receiver((_, res) => {
      res.statusCode = 404
      res.end('no_service')
    })
    servers.push(hook.server)
    const c = collect()
    const result = await notifyWebhook({ url: hook.url, format: 'slack', ...c.settings }, failure)
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 404 })
    expect(c.warnings[0]).toContain('HTTP 404: no_service')
    expect(c.warnings.join('')).not.toContain('s3cr3tPathToken')
  })

  test('a closed port is a network error, a warning, no throw', async () => {
    const hook = await receiver()
    const url = hook.url
    await new Promise(resolve => hook.server.close(resolve))
    const c = collect()
    const result = await notifyWebhook(
      { url, format: 'teams', retries: 1, ...c.settings },
      { event: 'deploy-success', version: '1' }
    )
    expect(result?.ok).toBe(false)
    expect(result?.error).toBe('network error ECONNREFUSED')
    expect(c.warnings[0]).not.toContain('s3cr3t')
  })

  test('no URL sends nothing; a bad format is an InputError', async () => {
    const c = collect()
    expect(await notifyWebhook({ url: undefined, ...c.settings }, failure)).toBeUndefined()
    await expect(
      notifyWebhook({ url: 'http://127.0.0.1:1/x', format: 'discord', ...c.settings }, failure)
    ).rejects.toThrow("Input 'webhook-format': expected one of slack, teams, json, got")
  })
})
