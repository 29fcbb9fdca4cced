import type { Emulator } from './index.js'

/**
 * Raw HTTP to the emulator (no Octokit): no retries and no write throttling, so tests of
 * emulator semantics stay fast and can send deliberately wrong requests.
 */
export async function api(
  gh: Emulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
  // Untyped on purpose: tests read arbitrary JSON and their assertions check its shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(gh.url + path, {
    method,
    headers: {
      authorization: `token ${gh.token}`,
      accept: 'application/vnd.github+json',
      ...(body !== undefined && !(body instanceof Uint8Array)
        ? { 'content-type': 'application/json' }
        : {}),
      ...headers
    },
    body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000)
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // not JSON (asset bytes)
  }
  return { status: res.status, body: parsed, headers: res.headers }
}
