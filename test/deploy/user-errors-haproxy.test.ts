import { expect, test } from '@jest/globals'
import { join } from 'node:path'
import { ChannelError, UnixSocketChannel } from '@slipway/haproxy'
import { UserError } from '@slipway/kit'
import { tempDir } from '../services/process.js'

// An HAProxy admin socket that is not there is the host's setup, not a bug: the hint names the
// input and the haproxy.cfg line that make one.
test('a missing admin socket: set haproxy-socket and the stats socket line', async () => {
  const socket = join(tempDir('haproxy-user-errors'), 'admin.sock')
  const error = await new UnixSocketChannel(socket).send('show info').then(
    () => undefined,
    (thrown: unknown) => thrown
  )
  expect(error).toBeInstanceOf(ChannelError)
  expect(error).toBeInstanceOf(UserError)
  expect((error as UserError).message).toContain(`${socket} does not exist`)
  expect((error as UserError).hint).toMatch(/^set `haproxy-socket` to the path/)
})
