import { InputError } from '@slipway/kit'

/** RFC 1123 label (namespaces, Service names): what the API server accepts, checked before any request. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
/** RFC 1123 subdomain (Deployment, HTTPRoute names). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

export function checkDnsLabel(input: string, value: string, what: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value))
    throw new InputError(
      input,
      `${what}: a DNS-1123 label (lower-case letters, digits and -, at most 63 characters, starting and ending with a letter or digit)`,
      value
    )
  return value
}

export function checkDnsSubdomain(input: string, value: string, what: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value))
    throw new InputError(
      input,
      `${what}: a DNS-1123 subdomain (lower-case letters, digits, - and ., at most 253 characters)`,
      value
    )
  return value
}

/** Label values hold at most 63 of [A-Za-z0-9._-]; the full version lives in an annotation. */
export function labelValue(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
  return cleaned || 'unknown'
}

/** Labels and annotations Slipway writes; `app.kubernetes.io/name` is the common label users already query. */
export const LABEL = {
  app: 'app.kubernetes.io/name',
  managedBy: 'app.kubernetes.io/managed-by',
  slot: 'slipway.dev/slot',
  version: 'slipway.dev/version'
} as const

export const ANNOTATION = {
  version: 'slipway.dev/version',
  image: 'slipway.dev/image',
  templateHash: 'slipway.dev/template-hash'
} as const

/** The field manager of every server-side apply: `kubectl get --show-managed-fields` names us. */
export const FIELD_MANAGER = 'slipway'
