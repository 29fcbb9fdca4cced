// The demo's hooks, in Node so they need nothing but Node.js:
//   script provider: node hooks.mjs prepare|retire|route|current|health
//   nginx provider:  node hooks.mjs start|stop (start-command / stop-command)
// Slipway passes its values as SLIPWAY_* environment variables; DEMO_STATE is the demo's state dir.
import { spawn } from 'node:child_process'
import {
  existsSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'

const state = process.env.DEMO_STATE
const env = process.env
const slotFile = (slot, kind) => join(state, `${slot}.${kind}`)
const sleep = ms => new Promise(r => setTimeout(r, ms))

async function stop(slot) {
  const pidFile = slotFile(slot, 'pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8'))
  try {
    process.kill(pid, 'SIGTERM')
    for (let i = 0; i < 60; i++) {
      process.kill(pid, 0)
      await sleep(50)
    }
  } catch {
    // gone
  }
  rmSync(pidFile, { force: true })
  rmSync(slotFile(slot, 'version'), { force: true })
}

async function start(slot, port) {
  await stop(slot)
  const log = openSync(slotFile(slot, 'log'), 'a')
  const child = spawn(process.execPath, [env.SLIPWAY_ARTIFACT], {
    env: { PATH: env.PATH, PORT: port },
    detached: true,
    stdio: ['ignore', log, log]
  })
  child.unref()
  writeFileSync(slotFile(slot, 'pid'), String(child.pid))
  writeFileSync(slotFile(slot, 'version'), env.SLIPWAY_VERSION)
}

const commands = {
  // Starts the artifact (one .mjs file) on the slot's port; the slot's previous process stops first.
  async prepare() {
    await start(env.SLIPWAY_SLOT, env.SLIPWAY_ADDRESS.split(':')[1])
  },
  // nginx provider: the artifact was shipped to the release dir; the port comes from the target.
  async start() {
    await start(env.SLIPWAY_TARGET, env.SLIPWAY_PORT)
  },
  async stop() {
    await stop(env.SLIPWAY_TARGET)
  },
  async retire() {
    await stop(env.SLIPWAY_SLOT)
  },
  // All traffic to the slot with the highest weight: one atomic symlink rename.
  async route() {
    const weights = JSON.parse(env.SLIPWAY_WEIGHTS_JSON)
    const [slot] = Object.entries(weights).sort((a, b) => b[1] - a[1])[0]
    const next = join(state, `live.${process.pid}`)
    symlinkSync(slot, next)
    renameSync(next, join(state, 'live'))
  },
  async current() {
    let live
    try {
      live = readlinkSync(join(state, 'live'))
    } catch {
      live = undefined
    }
    const slots = JSON.parse(readFileSync(join(state, 'slots.json'), 'utf8'))
    for (const slot of Object.keys(slots)) {
      const file = slotFile(slot, 'version')
      const version = existsSync(file) ? readFileSync(file, 'utf8').trim() : '-'
      console.log(`${slot} ${version} ${slot === live ? 100 : 0}`)
    }
  },
  async health() {
    const response = await fetch(`http://${env.SLIPWAY_ADDRESS}/health`, {
      signal: AbortSignal.timeout(1000)
    })
    if (!response.ok) process.exit(1)
  }
}

const command = commands[process.argv[2]]
if (!command) {
  console.error(`usage: hooks.mjs ${Object.keys(commands).join('|')}`)
  process.exit(2)
}
await command().catch(error => {
  console.error(error.message)
  process.exit(1)
})
