import { expect, test } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { tempDir } from '../helpers/temp-dir.js'

// `npm run demo` end to end: it must leave v1.1.0 live, roll v1.2.0 back automatically, verify
// the backup, publish the release, and clean up. How long it takes is reported, not asserted
// (a busy machine stretches it; speed is measured in bench/): the deadline only ends a hang.
const DEADLINE_MS = 480_000
const hasNginx = spawnSync('nginx', ['-v']).status === 0

// With nginx (the default where it is installed) and with the portable Node router.
test.each([
  ['nginx', hasNginx],
  ['node', true]
])(
  'npm run demo (%s router): v1.1.0 live, v1.2.0 rolled back, backup verified, release created',
  async (router, available) => {
    if (!available) return
    const reportFile = join(tempDir('demo-test'), 'report.json')
    const summaries = join(reportFile, '..', 'summaries')
    const before = new Set(readdirSync(tmpdir()).filter(name => name.startsWith('slipway-demo-')))
    const started = Date.now()
    const { code, output } = await new Promise<{ code: number | null; output: string }>(resolve => {
      const child = spawn('bash', [join(repoRoot, 'scripts', 'demo.sh')], {
        cwd: repoRoot,
        env: {
          ...process.env,
          SLIPWAY_DEMO_REPORT: reportFile,
          SLIPWAY_DEMO_ROUTER: router,
          SLIPWAY_DEMO_SUMMARIES: summaries,
          NO_COLOR: '1'
        },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      let text = ''
      child.stdout.on('data', chunk => (text += chunk))
      child.stderr.on('data', chunk => (text += chunk))
      const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS)
      child.on('close', exitCode => {
        clearTimeout(timer)
        resolve({ code: exitCode, output: text })
      })
    })
    console.log(`npm run demo (${router} router): ${(Date.now() - started) / 1000} s`)
    expect({ code, tail: code === 0 ? '' : output.slice(-3000) }).toEqual({ code: 0, tail: '' })
    expect(output).toContain("Slipway's emulator")
    expect(output).toContain('✔ Demo passed')
    // the second release follows the first: a minor bump, not a first (major) release
    expect(output).toContain('Released v1.1.0 (minor)')
    // no label says its step's kind twice ("route: route: switch …")
    expect(output.match(/\b([\w-]+): \1: .*/g) ?? []).toEqual([])
    // the summaries whose paths the report prints are still there after the clean-up
    const printed = [...output.matchAll(/summary: (\S+\.md)/g)].map(m => m[1])
    expect(printed).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0'].map(v => join(summaries, `${v}.md`)))
    for (const file of printed) expect(existsSync(file)).toBe(true)
    expect(readFileSync(printed[1], 'utf8')).toContain('v1.1.0')
    expect(readFileSync(printed[2], 'utf8')).toContain('rolled back')
    expect(output).toContain(`Job summaries          ${summaries}`)
    rmSync(summaries, { recursive: true, force: true })

    const report = JSON.parse(readFileSync(reportFile, 'utf8'))
    expect(report.ok).toBe(true)
    expect(report.routerKind).toBe(router)
    expect(
      report.runs.map((r: { version: string; status: string }) => `${r.version}:${r.status}`)
    ).toEqual(['v1.0.0:success', 'v1.1.0:success', 'v1.2.0:rolled-back'])
    expect(report.live).toBe('Hello and welcome from sample-app v1.1.0')
    expect(report.rollback).toMatchObject({ from: 'v1.2.0', to: 'v1.1.0', mode: 'route-back' })
    expect(report.backup.verified).toBe(true)
    expect(report.release).toMatchObject({ tag: 'v1.1.0', exists: true })
    expect(report.data.afterRollback).toBe(report.data.before)
    expect(report.validationErrors).toBe(0)
    // the rollback is its own Deployment, and the bad one is marked
    const deployments = report.deployments as {
      version: string
      state: string
      rollbackOf?: number
    }[]
    expect(
      deployments.map(d => `${d.version}:${d.state}${d.rollbackOf ? ':rollback' : ''}`)
    ).toEqual(['v1.0.0:inactive', 'v1.1.0:inactive', 'v1.2.0:inactive', 'v1.1.0:success:rollback'])
    // everything it started is gone: its temporary directory, and the router port is closed
    const left = readdirSync(tmpdir()).filter(
      n => n.startsWith('slipway-demo-') && !before.has(n) && !reportFile.includes(n)
    )
    expect(left).toEqual([])
    await expect(fetch(report.router, { signal: AbortSignal.timeout(1000) })).rejects.toThrow()
  },
  DEADLINE_MS + 10_000
)
