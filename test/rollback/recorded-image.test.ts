import { describe, expect, test } from '@jest/globals'
import type { DeployInputs } from '@slipway/strategies'
import { withRecordedImage } from '@slipway/rollback'

type ProviderInputs = Omit<
  DeployInputs,
  'strategy' | 'version' | 'artifact' | 'environment' | 'dryRun'
>

// A deploy from a `docker save` archive records the archive's tag (or its id): no registry serves
// it. Swapping it in for the rollback job's image-archive made the rollback pull `shop:v1` from
// Docker Hub and fail where the archive would have worked.
describe('rollback: which image a container rollback runs', () => {
  const job = {
    provider: 'docker',
    container: { imageArchive: '/artifacts/shop-v1.tar', port: 8080 }
  } as unknown as ProviderInputs

  test('a tag recorded from an archive deploy keeps the job’s image-archive', () => {
    expect(withRecordedImage(job, 'shop:v1')).toBe(job)
    expect(withRecordedImage(job, 'registry.test/team/shop:v1')).toBe(job)
  })

  test('a digest recorded from a registry deploy is what runs', () => {
    const digest = `registry.test/team/shop@sha256:${'c'.repeat(64)}`
    expect(withRecordedImage(job, digest).container).toEqual({
      image: digest,
      imageArchive: undefined,
      port: 8080
    })
  })
})
