import { describe, expect, it } from '@jest/globals'
import { runBundle } from '../helpers/run-bundle.js'
import { closedPort } from '../probes/servers.js'

const PASSWORD = 'pw-secret-987'

describe('preflight-check keeps secrets out of its outputs', () => {
  it('a failed check named after a URL with a password shows in failed-checks, failed-checks-json and the report without it', async () => {
    const port = await closedPort()
    const url = `http://deploy:${PASSWORD}@127.0.0.1:${port}/health`
    const warnUrl = `http://deploy:${PASSWORD}@127.0.0.1:${port}/optional`
    const run = await runBundle('preflight-check', {
      inputs: {
        checks: [
          `- name: "${url}"`,
          '  type: http',
          `  url: "${url}"`,
          `- name: "warn ${warnUrl}"`,
          '  type: http',
          `  url: "${warnUrl}"`,
          '  severity: warning'
        ].join('\n'),
        timeout: '2s'
      }
    })
    expect(run.annotations.errors.join('\n')).toContain('checks failed')
    expect(run.exitCode).toBe(1)
    // The checks ran and failed, and are named in the outputs …
    expect(JSON.parse(run.outputs['failed-checks-json'])).toHaveLength(1)
    expect(run.outputs['failed-checks']).toContain('127.0.0.1')
    expect(run.outputs['warning-checks']).toContain('warn')
    // … never with the password.
    for (const name of ['failed-checks', 'failed-checks-json', 'warning-checks', 'report'])
      expect([name, run.outputs[name].includes(PASSWORD)]).toEqual([name, false])
    expect(run.summary).not.toContain(PASSWORD)
    expect(run.annotations.errors.join('\n')).not.toContain(PASSWORD)
  })
})
