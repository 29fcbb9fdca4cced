/**
 * A Docker image reference as the Docker CLI accepts it (distribution's reference grammar):
 * `[registry[:port]/]path[:tag][@sha256:<64 hex>]`. Validated before any host is touched, and
 * never starting with `-`, so it can only ever be read as an image and never as an option.
 */
export interface ImageReference {
  /** `registry[:port]/path` or `path` (without tag or digest). */
  name: string
  /** The registry host when the first component names one (has `.` or `:` or is `localhost`). */
  registry?: string
  tag?: string
  /** `sha256:<hex>` */
  digest?: string
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const DOMAIN_LABEL = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])'
const DOMAIN = `${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*(?::[0-9]{1,5})?`
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'
const DIGEST = 'sha256:[a-f0-9]{64}'
const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`
)

/** The parts of a reference, or undefined when Docker would not accept it. */
export function parseImageReference(text: string): ImageReference | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 512) return undefined
  const match = REFERENCE.exec(text)
  if (!match) return undefined
  let [, domain, path] = match
  const [, , , tag, digest] = match
  // A first component without `.`/`:` that is not `localhost` is a path (Docker Hub user), not a registry.
  if (domain && !/[.:]/.test(domain) && domain !== 'localhost') {
    if (!new RegExp(`^${COMPONENT}$`).test(domain)) return undefined
    path = `${domain}/${path}`
    domain = undefined as unknown as string
  }
  return {
    name: domain ? `${domain}/${path}` : path,
    registry: domain || undefined,
    tag: tag || undefined,
    digest: digest || undefined
  }
}
