import { errorMessage } from '@slipway/kit'
import { LABEL } from './container-names.js'
import type { DockerCli } from './docker-cli.js'
import type { ContainerInfo } from './health.js'

/**
 * The stopped containers to remove: all but the newest `keepVersions` stopped ones, never a
 * running (or restarting) one and never one of `protectedVersions` (the live and the previous
 * version: a rollback starts them without a pull).
 */
export function prunable(
  containers: ContainerInfo[],
  keepVersions: number,
  protectedVersions: Set<string>
): ContainerInfo[] {
  const stopped = containers
    .filter(c => !c.State.Running && !c.State.Restarting)
    .sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created))
  return stopped
    .slice(Math.max(0, keepVersions))
    .filter(c => !protectedVersions.has(c.Config.Labels?.[LABEL.version] ?? ''))
}

/** Lists the app's containers on a host (every state), fully inspected. */
export async function appContainers(cli: DockerCli, app: string): Promise<ContainerInfo[]> {
  const ids = (
    await cli.ok(['ps', '-a', '-q', '--no-trunc', '--filter', `label=${LABEL.app}=${app}`])
  )
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
  return cli.inspect<ContainerInfo>('container', ids)
}

/**
 * Removes the app's old stopped containers on one host and then their images when no container
 * (of any app) uses them any more. Never fails a deploy: returns what it did and what it could not.
 */
export async function housekeep(
  cli: DockerCli,
  app: string,
  keepVersions: number,
  protectedVersions: Set<string>
): Promise<string[]> {
  const notes: string[] = []
  try {
    const containers = await appContainers(cli, app)
    for (const c of containers) {
      if (c.State.Running || c.State.Restarting)
        protectedVersions.add(c.Config.Labels?.[LABEL.version] ?? '')
    }
    const remove = prunable(containers, keepVersions, protectedVersions)
    for (const container of remove) {
      const name = container.Name.replace(/^\//, '')
      await cli.ok(['rm', container.Id])
      notes.push(`${cli.label}: removed old container ${name}`)
    }
    for (const image of new Set(remove.map(c => c.Image))) {
      const users = await cli.ok(['ps', '-a', '-q', '--filter', `ancestor=${image}`])
      if (users.trim() !== '') continue
      const result = await cli.run(['image', 'rm', image])
      // An untagged image goes with its last container: already gone is removed.
      const gone = result.exitCode === 0 || /no such image/i.test(result.stderr)
      notes.push(
        gone
          ? `${cli.label}: removed unused image ${image}`
          : `${cli.label}: kept image ${image}: ${cli.redact(result.stderr.trim().split('\n').at(-1) ?? '')}`
      )
    }
  } catch (error) {
    notes.push(`${cli.label}: housekeeping skipped: ${errorMessage(error)}`)
  }
  return notes
}
