/**
 * The web server behind a GitHub API URL, for links to runs and deployments: github.com for
 * api.github.com, `<sub>.ghe.com` for GitHub Enterprise Cloud's `api.<sub>.ghe.com`, `<host>`
 * for GitHub Enterprise Server's `<host>/api/v3`. Undefined for anything else (a proxy, a
 * test server): a guessed link would lead nowhere.
 */
export function serverUrlOf(apiUrl: string | undefined): string | undefined {
  let url: URL
  try {
    url = new URL(apiUrl ?? '')
  } catch {
    return undefined
  }
  const path = url.pathname.replace(/\/+$/, '')
  if (url.hostname === 'api.github.com' && path === '') return 'https://github.com'
  if (/^api\.[a-z0-9-]+\.ghe\.com$/i.test(url.hostname) && path === '')
    return `https://${url.hostname.slice('api.'.length)}`
  if (path.endsWith('/api/v3')) return `${url.origin}${path.slice(0, -'/api/v3'.length)}`
  return undefined
}
