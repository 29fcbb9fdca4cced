import { describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalHost, Redactor } from '@slipway/kit'

// Node gives a child sockets as its standard streams; bash then reads ~/.bashrc as if sshd had
// started it. A user's hook must not run the machine's interactive profile.
describe('user scripts', () => {
  test("run without the user's ~/.bashrc, with our values in the environment", async () => {
    const home = mkdtempSync(join(tmpdir(), 'slipway-home-'))
    try {
      writeFileSync(join(home, '.bashrc'), 'export FROM_BASHRC=read\n')
      const previous = process.env.HOME
      process.env.HOME = home
      try {
        const result = await new LocalHost(new Redactor()).exec(
          'echo "rc=${FROM_BASHRC:-unread} version=$SLIPWAY_VERSION"',
          { SLIPWAY_VERSION: '1.2.3' },
          30_000
        )
        expect(result.stdout.trim()).toBe('rc=unread version=1.2.3')
      } finally {
        process.env.HOME = previous
      }
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})
