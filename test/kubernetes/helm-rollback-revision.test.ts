// A return to a recorded version in Helm mode goes to the revision its Deployment record names,
// not to whichever revision the release history says ran the version last; a record without
// one (written before revisions were recorded) still finds its way through the history, and a
// recorded revision Helm no longer holds is refused with nothing changed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
// Emulator only: the release Secrets are read back from it.
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import {
  deployedImage,
  handMadeUpgrade,
  helmDeploy,
  helmPodBehaviours,
  storedReleases,
  type HelmRunOptions
} from './helm-helpers.js'

jest.setTimeout(180_000)

let k8s: KubernetesEmulator
let dir: string
beforeAll(async () => {
  k8s = await startKubernetesEmulator({ tls: true })
  helmPodBehaviours(k8s)
  dir = mkdtempSync(join(tmpdir(), 'helm-rollback-revision-'))
})
afterAll(async () => {
  await k8s?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** The recorded revision, as a rollback hands it to Helm mode with the recorded version. */
const recorded = (revision: number): HelmRunOptions['helm'] =>
  ({ revision }) as HelmRunOptions['helm']

describe('helm: a return to a version goes to its recorded revision', () => {
  test('the recorded revision, though the history names a newer revision of the version', async () => {
    const v1 = await helmDeploy(k8s, { version: 'v1', image: 'registry.example/web:v1' })
    expect(v1.outcome.result.status).toBe('success')
    // The record names the revision the deploy left in service.
    expect(v1.outcome.staged).toMatchObject({ helm_revision: '1' })
    const v2 = await helmDeploy(k8s, { version: 'v2', image: 'registry.example/web:v2' })
    expect(v2.outcome.staged).toMatchObject({ helm_revision: '2', previous_revision: '1' })
    await handMadeUpgrade(k8s, dir, 'hotfix', 'Slipway: v1')
    const v3 = await helmDeploy(k8s, { version: 'v3', image: 'registry.example/web:v3' })
    expect(v3.outcome.staged).toMatchObject({ helm_revision: '4' })
    expect(deployedImage(k8s)).toBe('registry.example/web:v3')

    const back = await helmDeploy(k8s, {
      version: 'v1',
      image: 'registry.example/web:v1',
      helm: recorded(1)
    })
    expect(back.outcome.result.status).toBe('success')
    expect(storedReleases(k8s).at(-1)).toMatchObject({
      revision: 5,
      status: 'deployed',
      description: 'Rollback to 1'
    })
    expect(deployedImage(k8s)).toBe('registry.example/web:v1')
    expect(back.config.provider.prepared?.({ name: 'web' })).toBe(
      'helm rollback web to revision 1 (v1, the recorded revision)'
    )
  })

  test('a record without a revision: the newest revision of the version in the history', async () => {
    const back = await helmDeploy(k8s, { version: 'v2', image: 'registry.example/web:v2' })
    expect(back.outcome.result.status).toBe('success')
    expect(storedReleases(k8s).at(-1)).toMatchObject({
      revision: 6,
      status: 'deployed',
      description: 'Rollback to 2'
    })
    expect(deployedImage(k8s)).toBe('registry.example/web:v2')
    expect(back.log.join('\n')).toMatch(
      /web: no revision recorded for v2; revision 2 is the newest that ran it \(helm history\)/
    )
  })

  test('a recorded revision Helm no longer has, the version still in the history: that one, said so', async () => {
    const back = await helmDeploy(k8s, {
      version: 'v3',
      image: 'registry.example/web:v3',
      helm: recorded(42)
    })
    expect(back.outcome.result.status).toBe('success')
    expect(storedReleases(k8s).at(-1)).toMatchObject({
      revision: 7,
      status: 'deployed',
      description: 'Rollback to 4'
    })
    expect(back.log.join('\n')).toMatch(
      /web: the recorded revision 42 of v3 is not in the release history; revision 4 is the newest that ran v3 \(helm history\)/
    )
  })

  test('a recorded revision Helm no longer has, the version nowhere in the history: refused, nothing changed', async () => {
    const before = storedReleases(k8s)
    const back = await helmDeploy(k8s, {
      version: 'v9',
      image: 'registry.example/web:v9',
      helm: recorded(99)
    })
    expect(back.outcome.result.status).toBe('failure')
    expect(back.outcome.result.error).toMatch(
      /release web cannot return to v9: the recorded revision 99 is not in the release history, and no other completed revision of v9 is \(helm history\); nothing was changed/
    )
    expect(storedReleases(k8s)).toEqual(before)
    expect(deployedImage(k8s)).toBe('registry.example/web:v3')
  })
})
