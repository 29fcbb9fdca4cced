import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import { createServer as createTcpServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { tempDir } from '../helpers/temp-dir.js'

export interface SelfSigned {
  certFile: string
  keyFile: string
  cert: string
  key: string
}

/**
 * A self-signed certificate for `localhost` and 127.0.0.1, made by the openssl CLI as an
 * operator would make one, valid for `days` days from now.
 */
export function selfSigned(
  days: number,
  commonName = 'localhost',
  dir = tempDir('tls')
): SelfSigned {
  const keyFile = join(dir, `${commonName}-${days}d.key`)
  const certFile = join(dir, `${commonName}-${days}d.pem`)
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      String(days),
      '-subj',
      `/CN=${commonName}/O=Slipway Test`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1'
    ],
    { stdio: 'pipe' }
  )
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8')
  }
}

/** An HTTPS server on 127.0.0.1 (random port) answering `ok` with the given certificate. */
export async function httpsServer(
  certificate: SelfSigned
): Promise<{ server: Server; port: number }> {
  const server = createServer({ cert: certificate.cert, key: certificate.key }, (_req, res) =>
    res.end('ok')
  )
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

export function closeServer(server: {
  close(callback: () => void): unknown
  closeAllConnections?: () => void
}): Promise<void> {
  server.closeAllConnections?.()
  return new Promise(resolve => server.close(() => resolve()))
}

/** A port nothing listens on: bound once on 127.0.0.1, then released. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await closeServer(server)
  return port
}
