// Process helpers shared by the service starters in this folder: free ports, deadlines,
// running programs and stopping servers. Test code only; the product uses @slipway/kit's run().
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, createServer } from 'node:net'

// The service starters and many tests take their temporary directories from here.
export { ownedTempDir, tempDir } from '../helpers/temp-dir.js'

/** A free TCP port on 127.0.0.1 (the kernel picks it; a race with another process is possible but rare). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * `count` consecutive free ports on 127.0.0.1, the first returned: what a service publishing one
 * port per slot (blue on `port`, green on `port + 1`) needs. Taken below the kernel's ephemeral
 * range (32768 and up), so no client connection of a concurrent test can be handed one of them
 * between this check and the service binding it.
 */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * (12_000 - count))
    const ports = Array.from({ length: count }, (_, i) => first + i)
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) return first
  }
  throw new Error(`no ${count} consecutive free ports between 20000 and 32000`)
}

function canListen(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * Polls `probe` every 100ms until it returns true or the deadline passes (then throws with
 * `what`). A probe that throws ends the wait with its error (a server that exited).
 */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean | undefined> | boolean | undefined,
  timeoutMs: number
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await probe()) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`Timed out after ${timeoutMs}ms waiting for ${what}`)
}

/** True while a process with this pid exists (signal 0 probes without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({ port, host })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.setTimeout(1000, () => done(false))
  })
}

/** Runs a program to completion with a deadline; rejects with its output unless it exits 0. */
export function exec(
  command: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv
    uid?: number
    gid?: number
    timeoutMs?: number
    input?: string
    cwd?: string
  } = {}
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      uid: options.uid,
      gid: options.gid,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', code => {
      clearTimeout(timer)
      if (code === 0) resolve(stdout)
      else
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr || stdout}`))
    })
  })
}

/** Stops a server process: `signal` first, SIGKILL after `graceMs`; resolves when it has exited. */
export function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals,
  graceMs = 10_000
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill(signal)
  })
}

/** Collects the last few KB of a server's output, to explain a failed start. */
export function tail(child: ChildProcess): () => string {
  let text = ''
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return () => text
}
