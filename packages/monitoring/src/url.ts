import { InputError } from '@slipway/kit'

/** An http(s) URL with a host, or an InputError naming the input (a bare host:port included). */
export function httpUrl(
  text: string | undefined,
  input: string,
  example: string
): string | undefined {
  if (text === undefined || text.trim() === '') return undefined
  let url: URL | undefined
  try {
    url = new URL(text.trim())
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw new InputError(input, `an http(s) URL with its scheme, such as ${example}`, text)
  return text.trim()
}
