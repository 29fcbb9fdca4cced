// The images the kubernetes tests name, for a real cluster: each is the app of
// test/services/container-app.mjs with its behaviour fixed by the tag (the emulator gets the same
// behaviour from setPodBehaviour). CI's `kubernetes` job builds them with Docker and loads them
// into its kind cluster, so no registry is involved:
//   node test/kubernetes/kind-images.ts <kind cluster name>
// Plain TypeScript that Node 24 runs as is (type annotations only, node: imports only).
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

type Behaviour = 'ready' | 'never-ready' | 'crash-loop'

/** Image → how its pods behave (the emulator's PodBehaviour names). */
export const IMAGE_BEHAVIOURS: Record<string, Behaviour> = {
  ...Object.fromEntries(
    ['placeholder', 'v1', 'v2', 'v3', 'v4', 'v5', 'v9'].map(tag => [
      `registry.example/web:${tag}`,
      'ready' as Behaviour
    ])
  ),
  'registry.example/web:never': 'never-ready',
  'registry.example/web:v3-never': 'never-ready',
  'registry.example/web:crash': 'crash-loop'
}

// container-app.mjs's MODE for each behaviour: /health answers 503, or the process exits at start.
const MODE: Record<Behaviour, string> = {
  ready: 'ok',
  'never-ready': 'never-healthy',
  'crash-loop': 'exit'
}

// The runner's Docker pulls this base; the app needs nothing but Node.
const BASE = 'node:24-alpine'

function buildAndLoad(cluster: string): void {
  const context = mkdtempSync(join(tmpdir(), 'slipway-kind-images-'))
  try {
    copyFileSync(
      new URL('../services/container-app.mjs', import.meta.url),
      join(context, 'app.mjs')
    )
    const images = Object.keys(IMAGE_BEHAVIOURS)
    for (const image of images) {
      const version = image.slice(image.lastIndexOf(':') + 1)
      writeFileSync(
        join(context, 'Dockerfile'),
        [
          `FROM ${BASE}`,
          'COPY app.mjs /app/app.mjs',
          `ENV VERSION=${version} MODE=${MODE[IMAGE_BEHAVIOURS[image]]} PORT=8080`,
          'CMD ["node", "/app/app.mjs"]',
          ''
        ].join('\n')
      )
      execFileSync('docker', ['build', '--quiet', '-t', image, context], { stdio: 'inherit' })
    }
    execFileSync('kind', ['load', 'docker-image', '--name', cluster, ...images], {
      stdio: 'inherit'
    })
  } finally {
    rmSync(context, { recursive: true, force: true })
  }
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const cluster = process.argv[2]
  if (!cluster || !/^[a-z0-9-]+$/.test(cluster)) {
    console.error('usage: node test/kubernetes/kind-images.ts <kind cluster name>')
    process.exit(2)
  }
  buildAndLoad(cluster)
}
