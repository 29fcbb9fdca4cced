import { describe, expect, it } from '@jest/globals'
import { CommandError, Redactor, run, runChecked } from '@slipway/kit'

describe('run', () => {
  it('passes arguments verbatim, never through a shell', async () => {
    const hostile = '$(touch /tmp/slipway-pwned); `id`; echo $HOME'
    const result = await run('printf', ['%s', hostile])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(hostile)
  })

  it('gives hooks our values only through the environment', async () => {
    const result = await run('bash', ['-c', 'printf "%s" "$SLIPWAY_VERSION"'], {
      env: { SLIPWAY_VERSION: '1.2.3; rm -rf /' }
    })
    expect(result.stdout).toBe('1.2.3; rm -rf /')
  })

  it('kills a program that outlives its timeout', async () => {
    // A program that would run a minute: ending long before that proves the kill on any machine.
    const result = await run('sleep', ['60'], { timeoutMs: 200 })
    expect(result.timedOut).toBe(true)
    expect(result.signal).toBe('SIGTERM')
    expect(result.durationMs).toBeLessThan(30_000)
  })

  it('redacts secrets from captured output and failure messages', async () => {
    const redactor = new Redactor()
    redactor.add('hunter2-secret')
    const failing = runChecked('bash', ['-c', 'echo "password=hunter2-secret" >&2; exit 3'], {
      redactor
    })
    await expect(failing).rejects.toThrow(CommandError)
    await expect(failing).rejects.toThrow('bash exited with code 3: password=***')
  })

  it('reports a program that cannot start', async () => {
    const result = await run('/nonexistent/program')
    expect(result.exitCode).toBeNull()
    expect(result.stderr).toContain('ENOENT')
  })

  it('feeds standard input', async () => {
    const result = await run('cat', [], { input: 'hello' })
    expect(result.stdout).toBe('hello')
  })
})
