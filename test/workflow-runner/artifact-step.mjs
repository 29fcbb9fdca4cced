// The runner's upload-artifact / download-artifact, as a process using the official client
// (@actions/artifact) against the artifact emulator named by ACTIONS_RESULTS_URL.
//   node artifact-step.mjs upload <name> <path> <if-no-files-found> <retention-days>
//   node artifact-step.mjs download <name> <path>
import { DefaultArtifactClient } from '@actions/artifact'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

const client = new DefaultArtifactClient()
const [command, name, path, ifNoFiles, retention] = process.argv.slice(2)

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(full) : [full]
  })
}

if (command === 'upload') {
  const target = resolve(path)
  const isDir = existsSync(target) && statSync(target).isDirectory()
  const files = !existsSync(target) ? [] : isDir ? filesUnder(target) : [target]
  if (files.length === 0) {
    const message = `No files were found with the provided path: ${path}. No artifacts will be uploaded.`
    if (ifNoFiles === 'error') {
      console.log(`::error::${message}`)
      process.exit(1)
    }
    console.log(ifNoFiles === 'ignore' ? message : `::warning::${message}`)
    process.exit(0)
  }
  const root = isDir ? target : dirname(target)
  const days = retention ? Number(retention) : undefined
  const { id, size } = await client.uploadArtifact(name, files, root, {
    retentionDays: days || undefined
  })
  console.log(`Artifact ${name} (${id}) uploaded: ${size} bytes`)
} else if (command === 'download') {
  const { artifact } = await client.getArtifact(name)
  const { downloadPath } = await client.downloadArtifact(artifact.id, { path: resolve(path) })
  console.log(`Artifact ${name} downloaded to ${downloadPath}`)
} else {
  console.error(`unknown command ${command}`)
  process.exit(2)
}
