// GitHub asks integrators to space writes about a second apart, which our client does by
// default (tested in test/github/client.test.ts). The emulator has no secondary rate limits,
// so the suite turns the spacing off to stay fast.
process.env.SLIPWAY_GITHUB_WRITE_INTERVAL_MS ??= '0'
