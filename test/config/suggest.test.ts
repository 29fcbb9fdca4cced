import { describe, expect, test } from '@jest/globals'
import { closestValue, didYouMean, Inputs, InputError } from '@slipway/kit'

const STRATEGIES = ['blue-green', 'canary', 'rolling']

describe('closestValue', () => {
  test.each([
    ['bluegreen', 'blue-green'],
    ['Blue_Green', 'blue-green'],
    ['canray', 'canary'], // a swapped pair is one edit
    ['rollin', 'rolling'],
    ['cannary', 'canary']
  ])('%s → %s', (given, expected) => {
    expect(closestValue(given, STRATEGIES)).toBe(expected)
  })

  test.each(['recreate', 'x', '', 'green', 'ab-test'])('nothing close to %j', given => {
    expect(closestValue(given, STRATEGIES)).toBeUndefined()
  })

  test('a short value needs a closer match than a long one', () => {
    expect(closestValue('tpc', ['tcp', 'http'])).toBe('tcp')
    expect(closestValue('udp', ['tcp', 'http'])).toBeUndefined()
  })

  test('didYouMean says nothing for an exact value', () => {
    expect(didYouMean('canary', STRATEGIES)).toBeUndefined()
    expect(didYouMean('bluegreen', STRATEGIES)).toBe('did you mean `blue-green`?')
  })
})

describe('Inputs.enumOf', () => {
  function enumError(value: string): InputError {
    const inputs = new Inputs(name => (name === 'health-check' ? value : undefined))
    try {
      inputs.enumOf('health-check', ['auto', 'http', 'tcp', 'command', 'none'] as const)
    } catch (error) {
      return error as InputError
    }
    throw new Error('enumOf accepted a value outside its list')
  }

  test('a near miss is refused with the nearest value as the hint', () => {
    const error = enumError('htpp')
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(
      `Input 'health-check': expected one of auto, http, tcp, command, none, got "htpp"`
    )
    expect(error.hint).toBe('did you mean `http`?')
  })

  test('a value far from all is refused without a guess', () => {
    const error = enumError('grpc-over-quic')
    expect(error.hint).toBeUndefined()
  })
})
