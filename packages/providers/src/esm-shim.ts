import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

// ssh2's bundled poly1305 (emscripten) reads `__dirname` while it loads. In an ESM bundle
// (dist/*/index.js) that name does not exist and the whole action would crash at start, so
// it is defined here, before 'ssh2' is imported. Harmless where __dirname already exists.
const scope = globalThis as { __dirname?: string }
if (typeof scope.__dirname === 'undefined')
  scope.__dirname = dirname(fileURLToPath(import.meta.url))
