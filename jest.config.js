// ESM recipe: ts-jest in ESM mode with isolatedModules (no type-checking here:
// `npm run typecheck` does that once, which keeps the suite fast on 2 cores).
export default {
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@slipway/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1'
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }]
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/packages/*/test/**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: 2
}
