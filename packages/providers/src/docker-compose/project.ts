import { yamlParse as parse, yamlStringify as stringify } from '@slipway/kit'

/**
 * Where and how one version of the compose file lives on a host: a Compose project per slot
 * (`<app>-blue`, `<app>-green`) or, rolling, one per host (`<app>`), with its own directory holding
 * the user's compose file, our labels override and the `.env` both Compose versions read for
 * interpolation, so later `start`/`stop`/`logs` see the same values as `up` did.
 */
export interface ComposeProject {
  /** The Compose project name (`-p`). */
  name: string
  /** The slot (`blue`/`green`) or, rolling, the host name: the `slipway.slot` label. */
  slot: string
  /** The published port the user's file interpolates as `${SLIPWAY_HOST_PORT}`. */
  hostPort: number
  /** The project's directory on the host. */
  dir: string
}

export const COMPOSE_FILE = 'compose.yml'
export const LABELS_FILE = 'slipway.labels.yml'
/** Only present while `up` runs: it points every service at the env files. */
export const SECRET_OVERRIDE_FILE = 'slipway.env-files.yml'
export const DOTENV_FILE = '.env'

/** Ports: blue = hostPort, green = hostPort + 1; rolling: hostPort on every host. */
export function projectFor(
  app: string,
  strategy: 'blue-green' | 'canary' | 'rolling',
  target: string,
  hostPort: number,
  root: string
): ComposeProject {
  const name = strategy === 'rolling' ? app : `${app}-${target}`
  const port = strategy === 'rolling' || target === 'blue' ? hostPort : hostPort + 1
  return { name, slot: target, hostPort: port, dir: `${root.replace(/\/+$/, '')}/${name}` }
}

/** The variables the user's compose file interpolates (image tag, published port). */
export function projectVariables(project: ComposeProject, version: string): Record<string, string> {
  return {
    SLIPWAY_VERSION: version,
    SLIPWAY_SLOT: project.slot,
    SLIPWAY_HOST_PORT: String(project.hostPort)
  }
}

/** `.env` for Compose: values are versions, slot names and numbers (validated), never quoted text. */
export function renderDotenv(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')
    .concat('\n')
}

/** The `-f` arguments: the user's file first (its directory is the project directory), then ours. */
export function fileArgs(project: ComposeProject, withSecrets: boolean): string[] {
  const files = [COMPOSE_FILE, LABELS_FILE, ...(withSecrets ? [SECRET_OVERRIDE_FILE] : [])]
  return ['-p', project.name, ...files.flatMap(file => ['-f', `${project.dir}/${file}`])]
}

export interface SlipwayLabels {
  app: string
  version: string
  slot: string
  environment: string
}

/**
 * The override that labels every service (ours win over the user's same-named labels), so
 * `current()` and the health gate find the project's containers by label on any Compose version.
 */
export function renderLabelsOverride(
  services: string[],
  labels: SlipwayLabels,
  formatVersion?: string
): string {
  const ours = {
    'slipway.app': labels.app,
    'slipway.version': labels.version,
    'slipway.slot': labels.slot,
    'slipway.environment': labels.environment
  }
  return renderOverride(services, () => ({ labels: ours }), formatVersion)
}

/** Every service reads the env files (the user's env-file, the secret one) at creation. */
export function renderEnvOverride(
  services: string[],
  envFiles: string[],
  formatVersion?: string
): string {
  return renderOverride(services, () => ({ env_file: envFiles }), formatVersion)
}

/**
 * Compose v1 refuses an override whose `version` differs from the main file's, so ours repeats
 * the user's (none = the Compose Specification, which both versions read).
 */
function renderOverride(
  services: string[],
  entry: () => Record<string, unknown>,
  formatVersion: string | undefined
): string {
  const body: Record<string, unknown> = {}
  for (const service of services) body[service] = entry()
  const document = formatVersion ? { version: formatVersion, services: body } : { services: body }
  return stringify(document, { defaultStringType: 'QUOTE_DOUBLE' })
}

/** The `version` field of the user's compose file, when it has one (`'3.8'`, `'2.4'`). */
export function composeFormatVersion(text: string): string | undefined {
  const document: unknown = parse(text)
  if (typeof document !== 'object' || document === null) return undefined
  const version = (document as Record<string, unknown>).version
  return typeof version === 'string' || typeof version === 'number' ? String(version) : undefined
}

/** `config --services` output: one service name per line. */
export function parseServices(stdout: string): string[] {
  return stdout
    .split('\n')
    .map(line => line.trim())
    .filter(line => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(line))
}
