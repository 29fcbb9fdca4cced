import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { clipDescription, DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

// Deployment status descriptions (rollback reasons, failure messages) are cut to GitHub's 140
// characters. The cut must fall between graphemes: half a surrogate pair is not text, and half
// an emoji sequence (skin tone, ZWJ family) shows as a different symbol.

const graphemes = (text: string): string[] =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map(s => s.segment)

/** The clipped text, without its ellipsis, is a run of whole graphemes of the original. */
function expectWholeGraphemes(original: string, clipped: string): void {
  expect(clipped.length).toBeLessThanOrEqual(140)
  // no lone surrogate: a high one not followed by a low one, or a low one not after a high one
  expect(clipped).not.toMatch(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
  )
  expect(clipped.endsWith('…')).toBe(true)
  const kept = graphemes(clipped.slice(0, -1))
  expect(kept).toEqual(graphemes(original).slice(0, kept.length))
}

describe('clipDescription', () => {
  test.each([
    ['a surrogate pair across the cut', `${'a'.repeat(138)}😀 and more words`],
    ['an emoji with a skin tone across the cut', `${'a'.repeat(136)}👍🏽👍🏽 and more`],
    ['a ZWJ family across the cut', `${'b'.repeat(130)}👩‍👩‍👧‍👦 rolled back for a reason`],
    ['a flag across the cut', `${'c'.repeat(137)}🇫🇷🇫🇷 more`],
    ['a combining accent across the cut', `${'d'.repeat(138)}e\u0301 more text`]
  ])('never splits %s', (_name, text) => {
    expectWholeGraphemes(text, clipDescription(text))
  })

  test('short text is kept whole, whitespace folded to one line', () => {
    expect(clipDescription('  rolled back\n to 1.1.0  👍🏽 ')).toBe('rolled back to 1.1.0 👍🏽')
    const exact = `${'a'.repeat(136)}👍🏽`
    expect(clipDescription(exact)).toBe(exact)
  })
})

describe('deployment status descriptions through the emulator', () => {
  let gh: Emulator
  beforeAll(async () => {
    gh = await startEmulator()
  })
  afterAll(async () => {
    await gh.close()
  })

  test('a long reason with emoji is stored as whole graphemes within 140 units', async () => {
    const sha = gh.state.addCommit({ message: 'feat: x' })
    const id = Number(gh.state.addDeployment({ ref: sha, environment: 'staging' }).id)
    const ledger = new DeploymentLedger(
      createGitHubClient({ token: gh.token, baseUrl: gh.url }),
      { owner: gh.owner, repo: gh.repo },
      {}
    )
    const reason = `rolled back to 1.1.0: ${'x'.repeat(113)} 🚀🔥 smoke test failed`
    await ledger.setStatus(id, 'failure', reason, { autoInactive: false })
    const stored = String(gh.state.deploymentStatuses(id)[0].description)
    expectWholeGraphemes(reason, stored)
    expect(gh.validationErrors).toEqual([])
  })
})
