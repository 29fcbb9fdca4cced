import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, Redactor } from '@slipway/kit'
import {
  LocalTransport,
  buildDockerProvider,
  containerName,
  encodeArgs,
  parseDockerHosts,
  parseImageReference,
  type DockerInputs
} from '@slipway/providers'
import { dockerInputs } from './helpers.js'

// Every docker input is checked before anything is touched: a bad value is an InputError naming
// the input, and a secret's value never appears in it.

const dir = mkdtempSync(join(tmpdir(), 'slipway-docker-inputs-'))
const archive = join(dir, 'image.tar')
writeFileSync(archive, 'not really a tarball; only its existence is checked here')

function inputs(overrides: Partial<DockerInputs> = {}): DockerInputs {
  // No `app`: the repository's name is the default under test.
  return dockerInputs({
    app: undefined,
    repository: 'octo/Shop',
    image: 'registry.example.com/team/shop:1.2.3',
    hostPort: 18080,
    healthTimeoutMs: 60_000,
    haproxy: { socket: '/run/haproxy/admin.sock' },
    ...overrides
  })
}

function inputError(overrides: Partial<DockerInputs>, redactor?: Redactor): InputError {
  try {
    buildDockerProvider(inputs(overrides), { local: new LocalTransport(), redactor })
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('image references', () => {
  test.each([
    ['shop', { name: 'shop' }],
    ['shop:1.2.3', { name: 'shop', tag: '1.2.3' }],
    ['team/shop:1.2.3', { name: 'team/shop', tag: '1.2.3', registry: undefined }],
    ['ghcr.io/team/shop:1.2.3', { name: 'ghcr.io/team/shop', registry: 'ghcr.io', tag: '1.2.3' }],
    ['localhost:5000/shop:rc1', { name: 'localhost:5000/shop', registry: 'localhost:5000' }],
    [`shop@sha256:${'a'.repeat(64)}`, { name: 'shop', digest: `sha256:${'a'.repeat(64)}` }]
  ])('%s is accepted', (text, expected) => {
    expect(parseImageReference(text)).toMatchObject(expected)
  })

  test.each([
    '',
    'Shop:1',
    '-shop',
    '--privileged',
    'shop:1 2',
    'shop;rm -rf /',
    'shop:-x',
    'shop@sha256:abc',
    'shop\n:1',
    'ghcr.io//shop'
  ])('%j is refused', text => {
    expect(parseImageReference(text)).toBeUndefined()
  })
})

describe('hosts', () => {
  test('default: this machine', () => {
    expect(parseDockerHosts([])).toEqual([{ name: 'local', address: '127.0.0.1' }])
  })

  test('lines and commas, ssh and address', () => {
    expect(
      parseDockerHosts([
        'web1 ssh=deploy@10.0.0.11, web2 ssh=deploy@10.0.0.12:2222 address=192.168.1.12\n# a comment'
      ])
    ).toEqual([
      { name: 'web1', ssh: 'deploy@10.0.0.11', address: '10.0.0.11' },
      { name: 'web2', ssh: 'deploy@10.0.0.12:2222', address: '192.168.1.12' }
    ])
  })

  test.each([
    ['web1 ssh=nohost'],
    ['web1 user=x'],
    ['-web1'],
    ['web1 ssh=a@h, web1 ssh=b@h'],
    ['web1, web2'],
    ['web1 ssh=a@h, web2 ssh=a@h'],
    ['web1 address=a;b']
  ])('%j is an InputError on hosts', text => {
    expect(() => parseDockerHosts([text])).toThrow(InputError)
    expect(() => parseDockerHosts([text])).toThrow(/Input 'hosts'/)
  })
})

describe('container names', () => {
  test('app-slot-version, + becomes _', () => {
    expect(containerName('shop', 'green', '1.4.0+build.7')).toBe('shop-green-1.4.0_build.7')
  })
  test('a version that is not one safe name is refused', () => {
    expect(() => containerName('shop', 'blue', '1; rm -rf /')).toThrow(/refusing version/)
    expect(() => containerName('shop', 'blue', '../x')).toThrow(/refusing version/)
  })
})

describe('the argument list travels one per line', () => {
  test('a newline or control character in an argument is refused before anything runs', () => {
    expect(encodeArgs(['run', '--name', 'a b'])).toBe('run\n--name\na b')
    expect(() => encodeArgs(['run', 'a\nb'])).toThrow(/newline or control character/)
    expect(() => encodeArgs(['run', 'a\x1b[31m'])).toThrow(/control character/)
  })
})

describe('buildDockerProvider', () => {
  test('valid inputs build the provider with blue/green targets and the app from the repository', () => {
    const provider = buildDockerProvider(inputs(), { local: new LocalTransport() })
    expect(provider.name).toBe('docker')
    expect(provider.targets.map(t => t.name)).toEqual(['blue', 'green'])
    expect(provider.targets.map(t => t.address)).toEqual(['127.0.0.1:18080', '127.0.0.1:18081'])
    expect(provider.describe!({ version: '2.0.0', targets: ['green'] })[0]).toMatch(
      /^local \(local\): pull registry\.example\.com\/team\/shop:1\.2\.3; .*shop-green-2\.0\.0.*127\.0\.0\.1:18081/
    )
  })

  test('rolling: the hosts are the targets', () => {
    const provider = buildDockerProvider(
      inputs({
        strategy: 'rolling',
        hosts: ['web1 ssh=root@10.0.0.1', 'web2 ssh=root@10.0.0.2'],
        publishAddress: 'host',
        knownHosts: '10.0.0.1 ssh-ed25519 AAAA',
        sshPrivateKey: 'key'
      }),
      { local: new LocalTransport() }
    )
    expect(provider.targets).toEqual([
      { name: 'web1', address: '10.0.0.1:18080', ssh: 'root@10.0.0.1' },
      { name: 'web2', address: '10.0.0.2:18080', ssh: 'root@10.0.0.2' }
    ])
  })

  test.each<[string, Partial<DockerInputs>, RegExp]>([
    ['image', { image: 'Shop:1' }, /Input 'image': expected an image reference/],
    ['image', { image: undefined }, /Input 'image'/],
    [
      'image-archive',
      { imageArchive: archive },
      /Input 'image-archive': expected either image or image-archive, not both/
    ],
    [
      'image-archive',
      { image: undefined, imageArchive: join(dir, 'missing.tar') },
      /Input 'image-archive'.*readable file/
    ],
    ['port', { port: 0 }, /Input 'port': expected a TCP port/],
    ['port', { port: 70000 }, /Input 'port'/],
    ['port', { port: undefined }, /Input 'port'/],
    ['host-port', { hostPort: 65535 }, /Input 'host-port'.*65534/],
    ['env-file', { envFile: join(dir, 'missing.env') }, /Input 'env-file'/],
    ['secret-env', { secretEnv: 'GOOD=1\nnot a pair' }, /Input 'secret-env'.*got "line 2"/],
    ['router', { router: 'provider' }, /Input 'router'/],
    ['router-scope', { strategy: 'rolling', routerScope: 'per-host' }, /Input 'router-scope'/],
    ['hosts', { hosts: ['web1 ssh=x'] }, /Input 'hosts'/],
    [
      'known-hosts',
      { hosts: ['web1 ssh=root@10.0.0.1'], publishAddress: 'host' },
      /Input 'known-hosts'/
    ],
    [
      'ssh-private-key',
      { hosts: ['web1 ssh=root@10.0.0.1'], publishAddress: 'host', knownHosts: 'x' },
      /Input 'ssh-private-key'/
    ],
    [
      'publish-address',
      { hosts: ['web1 ssh=root@10.0.0.1'], knownHosts: 'x', sshPrivateKey: 'k' },
      /Input 'publish-address'/
    ],
    ['publish-address', { publishAddress: 'eth0; rm' }, /Input 'publish-address'/],
    ['labels', { labels: ['slipway.version=9'] }, /Input 'labels'/],
    ['cmd', { cmd: '["node", 1]' }, /Input 'cmd'/],
    ['restart', { restart: 'sometimes' }, /Input 'restart'/],
    ['memory', { memory: '1 g' }, /Input 'memory'/],
    ['health-check', { healthCheck: 'command' }, /Input 'health-check'/],
    ['health-path', { healthPath: 'health' }, /Input 'health-path'/],
    ['keep-versions', { keepVersions: 0 }, /Input 'keep-versions'/],
    [
      'registry',
      { registryUsername: 'bot', registryPassword: 'hunter2-secret' },
      /Input 'registry'/
    ],
    [
      'registry-password',
      { registry: 'ghcr.io', registryUsername: 'bot' },
      /Input 'registry-password'/
    ],
    ['provider', { provider: 'podman' as DockerInputs['provider'] }, /Input 'provider'/],
    ['app', { app: 'Bad App' }, /Input 'app'/]
  ])('%s: %j', (input, overrides, message) => {
    const error = inputError(overrides)
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  test("a secret env line's value never appears in the error, and values are registered as secrets", () => {
    const redactor = new Redactor()
    const error = inputError({ secretEnv: 'TOKEN=s3cr3t-value\nbad line s3cr3t-other' }, redactor)
    expect(error.message).not.toContain('s3cr3t')
    expect(redactor.redact('TOKEN is s3cr3t-value')).toBe('TOKEN is ***')
  })

  test('the registry password is registered with the redactor', () => {
    const redactor = new Redactor()
    buildDockerProvider(
      inputs({ registry: 'ghcr.io', registryUsername: 'bot', registryPassword: 'pa55-word-xyz' }),
      { local: new LocalTransport(), redactor }
    )
    expect(redactor.redact('login pa55-word-xyz')).toBe('login ***')
  })
})
