import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { Inputs, type RunnerEnv } from '@slipway/kit'
import { parsePipelineSettings } from '@slipway/pipeline'
import { parseRollbackSettings } from '@slipway/rollback'
import { repoRoot } from '../helpers/run-bundle.js'
import { tempDir } from '../services/process.js'

// Issue #16: the VM starter is one workflow step and one slipway.yml. What the step gives plus
// the file must be every setting the pipeline and a later manual rollback need, written once.

const TEMPLATE = 'workflows-templates/vm-haproxy.yml'
const CONFIG = 'examples/vm-haproxy/slipway.yml'

interface Workflow {
  jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>
}

function slipwayStep(): Record<string, string> {
  const workflow = parse(readFileSync(join(repoRoot, TEMPLATE), 'utf8')) as Workflow
  const steps = Object.values(workflow.jobs).flatMap(job => job.steps)
  const ours = steps.filter(step => step.uses?.startsWith('slipway-dev/slipway@'))
  expect(ours).toHaveLength(1)
  return Object.fromEntries(
    Object.entries(ours[0].with ?? {}).map(([key, value]) => [key, String(value)])
  )
}

/** The checkout: slipway.yml at its root, and an SSH key pair the step's secret would hold. */
function checkout(): { runnerEnv: RunnerEnv; secrets: Record<string, string> } {
  const workspace = tempDir('vm-haproxy-ws')
  mkdirSync(join(workspace, 'build'))
  const artifact = join(workspace, 'build', 'shop.tar.gz')
  writeFileSync(artifact, 'artifact')
  // On the runner the step's working directory is the checkout; here the path says so.
  const config = readFileSync(join(repoRoot, CONFIG), 'utf8')
  expect(config).toContain('artifact: build/shop.tar.gz')
  writeFileSync(
    join(workspace, 'slipway.yml'),
    config.replace('artifact: build/shop.tar.gz', `artifact: ${artifact}`)
  )
  const keyDir = tempDir('vm-haproxy-key')
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keyDir, 'id')])
  const hostKey = readFileSync(join(keyDir, 'id.pub'), 'utf8').split(' ').slice(0, 2).join(' ')
  return {
    runnerEnv: { workspace, runnerTemp: tempDir('vm-haproxy-temp'), repository: 'acme/shop' },
    secrets: {
      'secrets.SSH_PRIVATE_KEY': readFileSync(join(keyDir, 'id'), 'utf8'),
      'vars.SLIPWAY_KNOWN_HOSTS': ['10.0.1.10', '10.0.1.11', '10.0.1.12']
        .map(host => `${host} ${hostKey}`)
        .join('\n'),
      'secrets.DATABASE_URL': 'postgres://shop:pw@10.0.1.20:5432/shop',
      'secrets.BACKUP_AGE_IDENTITY':
        'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX'
    }
  }
}

/** The step's `with:`, its expressions replaced by what the runner would give. */
function stepInputs(values: Record<string, string>): Inputs {
  const given = slipwayStep()
  const rendered: Record<string, string> = {}
  for (const [key, text] of Object.entries(given)) {
    const expression = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(text)?.[1]
    rendered[key] =
      expression === undefined
        ? text
        : expression === 'github.sha'
          ? '0123456789abcdef0123456789abcdef01234567'
          : expression.startsWith('inputs.dry-run')
            ? 'true'
            : (values[expression] ?? '')
  }
  return new Inputs(name => rendered[name])
}

describe('the VM + HAProxy starter', () => {
  test('a handful of with: keys, no deploy setting among them', () => {
    const keys = Object.keys(slipwayStep())
    expect(keys.length).toBeLessThanOrEqual(8)
    for (const setting of ['strategy', 'provider', 'targets', 'router', 'start-command'])
      expect(keys).not.toContain(setting)
  })

  test('the step and slipway.yml parse every stage of the pipeline', () => {
    const { runnerEnv, secrets } = checkout()
    const settings = parsePipelineSettings(stepInputs(secrets), runnerEnv, { token: 't' })
    expect(Object.keys(settings.stages).sort()).toEqual(['backup', 'deploy', 'smoke'])
    const deploy = settings.stages.deploy!.deploy
    expect(deploy.provider).toBe('nginx')
    expect(deploy.router).toBe('haproxy')
    expect(deploy.upstreamFile).toBeUndefined()
    expect(settings.secrets).toEqual(
      expect.arrayContaining([
        secrets['secrets.SSH_PRIVATE_KEY'].trim(),
        secrets['secrets.BACKUP_AGE_IDENTITY'],
        secrets['secrets.DATABASE_URL']
      ])
    )
  })

  test('a manual rollback reads the same file: the provider settings are not repeated', () => {
    const { runnerEnv, secrets } = checkout()
    const settings = parseRollbackSettings(
      new Inputs(
        name =>
          ({
            environment: 'production',
            'config-file': 'slipway.yml',
            'dry-run': 'true',
            'ssh-private-key': secrets['secrets.SSH_PRIVATE_KEY'],
            'known-hosts': secrets['vars.SLIPWAY_KNOWN_HOSTS']
          })[name]
      ),
      runnerEnv,
      { token: 't' }
    )
    expect(settings.provider.provider).toBe('nginx')
    expect(settings.provider.router).toBe('haproxy')
    expect(settings.restore).toBeUndefined()
  })
})

describe('the library example', () => {
  test('its release section is what tag-and-release takes', async () => {
    const { readConfigFile } = await import('@slipway/rollback')
    const config = readConfigFile('examples/library/slipway.yml', 'config-file', repoRoot)
    const declared = Object.keys(
      (
        parse(readFileSync(join(repoRoot, 'actions/tag-and-release/action.yml'), 'utf8')) as {
          inputs: Record<string, unknown>
        }
      ).inputs
    )
    const release = config.defaults?.release ?? {}
    expect(Object.keys(release).length).toBeGreaterThan(0)
    for (const key of Object.keys(release)) expect(declared).toContain(key)
  })
})
