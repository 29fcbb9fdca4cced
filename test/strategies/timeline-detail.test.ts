// The timeline's step column names the kind; its detail must not say it again
// ("route: route: switch …" read twice in every log and summary).
import { describe, expect, test } from '@jest/globals'
import { blueGreen, blueLive, canary, deploy, request, slots } from './helpers.js'

describe('timeline details', () => {
  test('route, pause and retire are named once, by the step column', async () => {
    const bg = await deploy(slots, blueLive, request(blueGreen))
    const steps = await deploy(
      slots,
      blueLive,
      request(canary('- setWeight: 50\n- pause: 1s\n- setWeight: 100'))
    )
    const timeline = [...bg.result.timeline, ...steps.result.timeline]
    const kinds = new Set(timeline.map(entry => entry.step))
    expect([...kinds]).toEqual(expect.arrayContaining(['route', 'pause', 'retire']))
    for (const entry of timeline)
      expect(`${entry.step}: ${entry.detail}`).not.toMatch(
        new RegExp(`^${entry.step}:? ${entry.step}\\b`)
      )
  })
})
