import { errorMessage } from '@slipway/kit'

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
  if (failed.length > 0) throw new Error(failed.join('; '))
  return results.map(result => (result as PromiseFulfilledResult<R>).value)
}
