import { isIP } from 'node:net'
import { connect, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls'
import { describeSocketError, formatHostPort } from './tcp.js'
import type { Probe } from './types.js'

const DAY_MS = 86_400_000

export interface TlsSpec {
  host: string
  port: number
  /** SNI name and the name the certificate must match; defaults to `host` (unless it is an IP address). */
  servername?: string
  /** Fail when the certificate expires in fewer days than this. */
  minDays: number
  /** Accept certificates that do not chain to a trusted CA (self-signed); expiry is still checked. */
  insecure?: boolean
  /** PEM CA certificate(s) to trust in addition to nothing else (Node's `ca` option). */
  ca?: string | Buffer
  /** Clock for tests and reports; defaults to now. */
  now?: () => number
}

/**
 * Completes a TLS handshake and reads the peer certificate: it fails when the certificate
 * is not trusted (unless `insecure` or a matching `ca`), does not match the name, or expires
 * within `minDays`. Reports days left, subject, issuer and the SHA-256 fingerprint.
 */
export const tlsProbe: Probe<TlsSpec> = (spec, context) =>
  new Promise(resolve => {
    const target = formatHostPort(spec.host, spec.port)
    const servername = spec.servername ?? (isIP(spec.host) ? undefined : spec.host)
    const socket = connect({
      host: spec.host,
      port: spec.port,
      ca: spec.ca,
      rejectUnauthorized: !spec.insecure,
      // Without SNI Node checks the certificate against the IP; with it, against the name.
      ...(servername === undefined ? {} : { servername })
    })
    const finish = (ok: boolean, message: string, details?: Record<string, unknown>): void => {
      context.signal.removeEventListener('abort', onAbort)
      socket.destroy()
      resolve({ ok, message, details })
    }
    const onAbort = (): void =>
      finish(false, `${target}: no TLS handshake within ${context.timeoutMs}ms`)
    context.signal.addEventListener('abort', onAbort, { once: true })
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate(true)
      if (!certificate || Object.keys(certificate).length === 0) {
        finish(false, `${target}: the server sent no certificate`)
        return
      }
      const details = describeCertificate(certificate, (spec.now ?? Date.now)())
      const trust = socket.authorized
        ? 'trusted'
        : `untrusted, accepted by insecure (${socket.authorizationError})`
      Object.assign(details, { protocol: socket.getProtocol(), authorized: socket.authorized })
      const { daysLeft } = details
      if (details.expired) {
        finish(
          false,
          `${target}: certificate of ${details.subject} expired ${Math.abs(daysLeft)} day(s) ago (${details.validTo})`,
          details
        )
      } else if (daysLeft < spec.minDays) {
        finish(
          false,
          `${target}: certificate of ${details.subject} expires in ${daysLeft} day(s), fewer than ${spec.minDays} (${details.validTo})`,
          details
        )
      } else {
        finish(
          true,
          `${target}: ${daysLeft} days left (${details.validTo}), subject ${details.subject}, issuer ${details.issuer}, ${trust}`,
          details
        )
      }
    })
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(
        false,
        `${target}: ${describeSocketError(error)}`,
        error.code ? { code: error.code } : undefined
      )
    )
  })

export interface CertificateDetails {
  [key: string]: unknown
  /** Whole days until expiry, negative once expired. */
  daysLeft: number
  expired: boolean
  validFrom: string
  validTo: string
  subject: string
  issuer: string
  fingerprint256: string
  subjectAltName?: string
  selfSigned: boolean
}

export function describeCertificate(
  certificate: DetailedPeerCertificate,
  now: number
): CertificateDetails {
  const validTo = new Date(certificate.valid_to)
  const validFrom = new Date(certificate.valid_from)
  return {
    daysLeft: Math.trunc((validTo.getTime() - now) / DAY_MS),
    expired: validTo.getTime() <= now,
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    fingerprint256: certificate.fingerprint256,
    subjectAltName: certificate.subjectaltname,
    selfSigned: certificate.fingerprint256 === certificate.issuerCertificate?.fingerprint256
  }
}

function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '(none)'
  if (name.CN) return `CN=${Array.isArray(name.CN) ? name.CN.join(',') : name.CN}`
  return Object.entries(name)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ')
}
