import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redactor } from '@slipway/kit'
import {
  artifactProbe,
  checksumFor,
  commandProbe,
  configSchemaProbe,
  diskProbe,
  envProbe,
  formatBytes,
  memoryProbe,
  parseSize,
  runOne,
  type ProbeContext
} from '@slipway/probes'

function context(timeoutMs = 5000): ProbeContext {
  return { signal: AbortSignal.timeout(timeoutMs), timeoutMs }
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-probes-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('command probe', () => {
  it('passes on exit 0 and shows the last line of output', async () => {
    const outcome = await commandProbe({ run: 'echo checking; echo ready' }, context())
    expect(outcome).toMatchObject({
      ok: true,
      message: 'exited 0: ready',
      details: { exitCode: 0 }
    })
  })

  it('fails on another exit code with the tail of stdout and stderr', async () => {
    const outcome = await commandProbe(
      { run: 'echo migrating; echo "lock held by pid 42" >&2; exit 3' },
      context()
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toBe('exited 3: migrating\nlock held by pid 42')
  })

  it('passes values through the environment, never into the script', async () => {
    const marker = join(dir, 'pwned')
    const outcome = await commandProbe(
      { run: 'printf "%s" "$TARGET"', env: { TARGET: `$(touch ${marker}); x` } },
      context()
    )
    expect(outcome.ok).toBe(true)
    expect(outcome.details?.output).toBe(`$(touch ${marker}); x`)
    expect(existsSync(marker)).toBe(false)
  })

  it('redacts secrets from the captured output', async () => {
    const redactor = new Redactor()
    redactor.add('hunter2-very-secret')
    const outcome = await commandProbe(
      { run: 'echo "password is $PW"; exit 1', env: { PW: 'hunter2-very-secret' }, redactor },
      context()
    )
    expect(outcome.message).toBe('exited 1: password is ***')
    expect(JSON.stringify(outcome)).not.toContain('hunter2')
  })

  it('is stopped at the timeout', async () => {
    const started = Date.now()
    const result = await runOne({
      name: 'slow',
      type: 'command',
      severity: 'error',
      timeoutMs: 300,
      retries: 0,
      retryDelayMs: 0,
      run: ctx => commandProbe({ run: 'sleep 60' }, ctx)
    })
    expect(result.status).toBe('failed')
    expect(result.message).toContain('timed out after 300ms')
    // The script would sleep a minute: ending well before proves it was stopped.
    expect(Date.now() - started).toBeLessThan(25_000)
  })
})

describe('env probe', () => {
  it('lists missing names and never values', async () => {
    const env = { DB_PASSWORD: 's3cr3t-value', API_TOKEN: '  ', REGION: 'eu-west-1' }
    const outcome = await envProbe(
      { names: ['DB_PASSWORD', 'API_TOKEN', 'REGION', 'DEPLOY_KEY'], env },
      context()
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toBe('missing or empty: API_TOKEN, DEPLOY_KEY (2 of 4 set)')
    expect(JSON.stringify(outcome)).not.toMatch(/s3cr3t|eu-west-1/)
  })

  it('passes when all are set', async () => {
    const outcome = await envProbe({ names: ['A', 'B'], env: { A: '1', B: '2' } }, context())
    expect(outcome).toMatchObject({ ok: true, message: 'all 2 set: A, B' })
  })
})

describe('config-schema probe', () => {
  const schema = {
    type: 'object',
    required: ['server', 'replicas'],
    additionalProperties: false,
    properties: {
      server: {
        type: 'object',
        properties: {
          port: { type: 'integer', minimum: 1 },
          host: { type: 'string', format: 'hostname' }
        }
      },
      replicas: { type: 'integer' },
      mode: { enum: ['blue-green', 'canary'] }
    }
  }
  let schemaFile: string
  beforeAll(() => {
    schemaFile = join(dir, 'schema.json')
    writeFileSync(schemaFile, JSON.stringify(schema))
  })

  it('passes for a valid YAML file', async () => {
    const file = join(dir, 'good.yml')
    writeFileSync(
      file,
      'server:\n  port: 8080\n  host: api.example.com\nreplicas: 3\nmode: canary\n'
    )
    const outcome = await configSchemaProbe({ file, schema: schemaFile }, context())
    expect(outcome).toMatchObject({ ok: true, message: `${file} is valid against ${schemaFile}` })
  })

  it('lists every error with its instance path', async () => {
    const file = join(dir, 'bad.json')
    writeFileSync(
      file,
      JSON.stringify({ server: { port: 'eighty', host: 'not a host!' }, mode: 'yolo', extra: 1 })
    )
    const outcome = await configSchemaProbe({ file, schema: schemaFile }, context())
    expect(outcome.ok).toBe(false)
    expect(outcome.details?.errors).toEqual(
      expect.arrayContaining([
        "/ must have required property 'replicas'",
        '/ must NOT have additional properties (extra)',
        '/server/port must be integer',
        '/server/host must match format "hostname"',
        '/mode must be equal to one of the allowed values ("blue-green", "canary")'
      ])
    )
    expect(outcome.message).toMatch(/is invalid \(5 errors\): /)
  })

  it('honours a 2020-12 schema', async () => {
    const schema2020 = join(dir, 'schema-2020.json')
    writeFileSync(
      schema2020,
      JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'array',
        prefixItems: [{ type: 'string' }]
      })
    )
    const file = join(dir, 'list.yml')
    writeFileSync(file, '- 1\n')
    const outcome = await configSchemaProbe({ file, schema: schema2020 }, context())
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('/0 must be string')
  })

  it('explains unreadable and unparsable files', async () => {
    const missing = await configSchemaProbe(
      { file: join(dir, 'nope.yml'), schema: schemaFile },
      context()
    )
    expect(missing.message).toContain('cannot read the config file')
    expect(missing.message).toContain('ENOENT')
    const broken = join(dir, 'broken.yml')
    writeFileSync(broken, 'server: [1, 2\n')
    const unparsable = await configSchemaProbe({ file: broken, schema: schemaFile }, context())
    expect(unparsable.ok).toBe(false)
    expect(unparsable.message).toContain('is not valid YAML/JSON')
  })
})

describe('artifact probe', () => {
  const content = Buffer.alloc(3 * 1024 * 1024, 'slipway') // larger than one stream chunk
  const digest = createHash('sha256').update(content).digest('hex')
  let artifact: string
  beforeAll(() => {
    artifact = join(dir, 'app-1.2.3.tar.gz')
    writeFileSync(artifact, content)
  })

  it('passes when the given SHA-256 matches (any case)', async () => {
    const outcome = await artifactProbe({ path: artifact, sha256: digest.toUpperCase() }, context())
    expect(outcome.ok).toBe(true)
    expect(outcome.details).toMatchObject({ sha256: digest, size: content.length })
  })

  it('fails on a mismatch, naming both digests', async () => {
    const wrong = 'a'.repeat(64)
    const outcome = await artifactProbe({ path: artifact, sha256: wrong }, context())
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain(`sha256 ${digest} does not match ${wrong}`)
  })

  it('reads <artifact>.sha256 in sha256sum format', async () => {
    writeFileSync(
      `${artifact}.sha256`,
      `${'b'.repeat(64)}  other.tar.gz\n${digest} *app-1.2.3.tar.gz\n`
    )
    const outcome = await artifactProbe({ path: artifact }, context())
    expect(outcome.ok).toBe(true)
    expect(outcome.message).toContain(`sha256 matches ${artifact}.sha256`)
    writeFileSync(`${artifact}.sha256`, `${'c'.repeat(64)}\n`)
    expect((await artifactProbe({ path: artifact }, context())).ok).toBe(false)
    rmSync(`${artifact}.sha256`)
  })

  it('checks existence only when no checksum is known, and fails for a missing file', async () => {
    const present = await artifactProbe({ path: artifact }, context())
    expect(present.ok).toBe(true)
    expect(present.message).toContain('no checksum to compare')
    const missing = await artifactProbe({ path: join(dir, 'missing.tar.gz') }, context())
    expect(missing).toMatchObject({ ok: false })
    expect(missing.message).toContain('does not exist (ENOENT)')
    const noChecksumFile = await artifactProbe(
      { path: artifact, sha256File: join(dir, 'SHA256SUMS') },
      context()
    )
    expect(noChecksumFile.ok).toBe(false)
    expect(noChecksumFile.message).toContain('cannot read the checksum file')
  })

  it('parses checksum files', () => {
    const hash = 'd'.repeat(64)
    expect(checksumFor(`${hash}\n`, 'x')).toBe(hash)
    expect(checksumFor(`${hash}  ./dist/x\n${'e'.repeat(64)}  y\n`, 'x')).toBe(hash)
    expect(checksumFor('not a checksum', 'x')).toBeUndefined()
  })
})

describe('disk and memory probes', () => {
  it('passes with enough free space and fails asking for too much', async () => {
    const enough = await diskProbe({ path: dir, minFreeBytes: 1024 }, context())
    expect(enough.ok).toBe(true)
    expect(enough.details?.freeBytes).toBeGreaterThan(1024)
    const tooMuch = await diskProbe({ path: dir, minFreeBytes: 2 ** 60 }, context())
    expect(tooMuch.ok).toBe(false)
    expect(tooMuch.message).toMatch(/free of .* on .*, need 1024\.0 PiB/)
  })

  it('fails for a path that does not exist', async () => {
    const outcome = await diskProbe({ path: join(dir, 'no', 'such'), minFreeBytes: 1 }, context())
    expect(outcome).toMatchObject({ ok: false })
    expect(outcome.message).toContain('ENOENT')
  })

  it('measures available memory', async () => {
    expect((await memoryProbe({ minFreeBytes: 1024 }, context())).ok).toBe(true)
    expect((await memoryProbe({ minFreeBytes: 2 ** 60 }, context())).ok).toBe(false)
  })

  it('parses and formats sizes', () => {
    expect(parseSize('2GiB')).toBe(2 * 1024 ** 3)
    expect(parseSize('1.5 GiB')).toBe(1.5 * 1024 ** 3)
    expect(parseSize('500MB')).toBe(500_000_000)
    expect(parseSize('1048576')).toBe(1048576)
    expect(parseSize('2 gigs')).toBeUndefined()
    expect(parseSize('-1GiB')).toBeUndefined()
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB')
  })
})
