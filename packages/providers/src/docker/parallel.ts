import { UserError, errorMessage } from '@slipway/kit'

/**
 * Runs `work` for every item, at most `limit` at once (0 = all at once), and waits for all of
 * them. When any failed, throws one error naming each failed item (the others finished, so the
 * caller knows exactly what state every host is in).
 */
export async function forEachLimit<T, R>(
  items: T[],
  limit: number,
  name: (item: T) => string,
  work: (item: T) => Promise<R>
): Promise<R[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length)
  const width = limit > 0 ? Math.min(limit, items.length) : items.length
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]).then(
        value => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const
      )
    }
  }
  await Promise.all(Array.from({ length: width }, lane))
  const failed = results.flatMap((result, index) =>
    result.status === 'rejected' ? [`${name(items[index])}: ${errorMessage(result.reason)}`] : []
  )
  if (failed.length > 0) throw combinedFailure(results, failed.join('; '))
  return results.map(result => (result as PromiseFulfilledResult<R>).value)
}

/**
 * One error for every failed item: the user's to fix when each failure was (with each distinct
 * hint, in item order), else a bug. A bug among user errors must not hide behind their hints.
 */
function combinedFailure(results: PromiseSettledResult<unknown>[], message: string): Error {
  const reasons = results.flatMap(result => (result.status === 'rejected' ? [result.reason] : []))
  if (!reasons.every(reason => reason instanceof UserError)) return new Error(message)
  const hints = [...new Set(reasons.map(reason => (reason as UserError).hint).filter(Boolean))]
  return new UserError(message, hints.length > 0 ? hints.join(' ') : undefined)
}
