import { describe, expect, test } from '@jest/globals'
import { UserError } from '@slipway/kit'
import {
  DockerCli,
  parseArchiveManifest,
  type ExecResult,
  type Transport
} from '@slipway/providers'
import { forEachLimit } from '../../packages/providers/src/docker/parallel.js'

// A docker command that fails for a reason the user can fix reads as a UserError with what to
// do; one that fails for a reason we cannot name stays a bug. The host here is a transport that
// answers as a host's `docker` does (its exit code and output), so no Engine is needed.

/** A host whose every command ends the way `answer` says. */
function hostAnswering(answer: Partial<ExecResult>): Transport {
  const result: ExecResult = { exitCode: 1, stdout: '', stderr: '', timedOut: false, ...answer }
  const refuse = (): Promise<never> => Promise.reject(new Error('not used by these tests'))
  return {
    label: 'deploy@web1:22',
    exec: () => Promise.resolve(result),
    readFile: refuse,
    writeFile: refuse,
    putFile: refuse,
    rename: refuse,
    remove: refuse,
    close: () => Promise.resolve()
  }
}

async function failureOf(
  answer: Partial<ExecResult>,
  action: (cli: DockerCli) => Promise<unknown>
): Promise<unknown> {
  const cli = new DockerCli(hostAnswering(answer), { timeoutMs: 5_000 })
  return action(cli).then(
    () => undefined,
    (error: unknown) => error
  )
}

describe('docker failures the user can fix', () => {
  test('docker missing on the host: install it', async () => {
    const error = await failureOf(
      { exitCode: 127, stderr: 'bash: line 1: exec: docker: not found\n' },
      cli => cli.ok(['version'])
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toMatch(
      /^docker version on deploy@web1:22 exited with code 127/
    )
    expect((error as UserError).hint).toMatch(/^install Docker .* on deploy@web1:22/)
  })

  test('an Engine that is not running: start it', async () => {
    const error = await failureOf(
      {
        stderr:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n'
      },
      cli => cli.ok(['ps'])
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).hint).toMatch(/^start the Docker Engine on deploy@web1:22/)
  })

  test('a registry login refused: check the registry inputs', async () => {
    const error = await failureOf(
      {
        stderr:
          'Error response from daemon: Get "https://registry.example.com/v2/": unauthorized: incorrect username or password\n'
      },
      cli =>
        cli.pull('registry.example.com/shop:1.2.0', {
          server: 'registry.example.com',
          username: 'ci',
          password: 'wrong'
        })
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toMatch(/^docker login registry\.example\.com \+ pull/)
    expect((error as UserError).hint).toContain('`registry-username` and `registry-password`')
  })

  test('an image the registry does not have: check the image input', async () => {
    const error = await failureOf(
      {
        stderr:
          'Error response from daemon: manifest for registry.example.com/shop:9.9.9 not found: manifest unknown: manifest unknown\n'
      },
      cli => cli.pull('registry.example.com/shop:9.9.9')
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).hint).toMatch(/^check the `image` input/)
  })

  test('an image archive that is not a docker save: say what it should be', () => {
    expect(() => parseArchiveManifest('not json', 'app.tar')).toThrow(UserError)
    try {
      parseArchiveManifest('[]', 'app.tar')
    } catch (error) {
      expect((error as UserError).hint).toContain('`image-archive` input')
    }
    expect.assertions(2)
  })
})

test('a docker failure nobody can name stays a bug', async () => {
  const error = await failureOf({ stderr: 'Error response from daemon: something odd\n' }, cli =>
    cli.ok(['ps'])
  )
  expect(error).toBeInstanceOf(Error)
  expect(error).not.toBeInstanceOf(UserError)
})

describe('failures on several hosts', () => {
  const names = ['web1', 'web2']
  const run = (fail: (name: string) => Error) =>
    forEachLimit(
      names,
      0,
      name => name,
      name => Promise.reject(fail(name))
    ).then(
      () => undefined,
      (error: unknown) => error
    )

  test('all the user’s: one UserError naming each host, each distinct hint once', async () => {
    const error = await run(name => new UserError(`${name} refused`, 'start the Engine.'))
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toBe('web1: web1 refused; web2: web2 refused')
    expect((error as UserError).hint).toBe('start the Engine.')
  })

  test('a bug among them keeps the whole a bug', async () => {
    const error = await run(name =>
      name === 'web1' ? new UserError('refused', 'start the Engine.') : new Error('impossible')
    )
    expect(error).not.toBeInstanceOf(UserError)
    expect((error as Error).message).toBe('web1: refused; web2: impossible')
  })
})
