import { startHaproxy, type HaproxyInstance } from './haproxy.js'
import { startVersionServer, type VersionServer } from './version-server.js'

/** The router tests' starting point: HAProxy backend `app`, blue (v1) at 100, green (v2) at 0. */
export interface BlueGreenHaproxy {
  blue: VersionServer
  green: VersionServer
  haproxy: HaproxyInstance
  stop(): Promise<void>
}

export async function startBlueGreenHaproxy(): Promise<BlueGreenHaproxy> {
  const blue = await startVersionServer('v1')
  const green = await startVersionServer('v2')
  const stopServers = async (): Promise<void> => {
    await blue.close()
    await green.close()
  }
  let haproxy: HaproxyInstance
  try {
    haproxy = await startHaproxy({
      name: 'app',
      servers: [
        { name: 'blue', address: blue.address, weight: 100 },
        { name: 'green', address: green.address, weight: 0 }
      ]
    })
  } catch (error) {
    await stopServers()
    throw error
  }
  return {
    blue,
    green,
    haproxy,
    async stop() {
      await haproxy.stop()
      await stopServers()
    }
  }
}
