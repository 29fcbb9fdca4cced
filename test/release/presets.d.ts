// The conventional-changelog presets ship no type declarations.
declare module 'conventional-changelog-conventionalcommits' {
  const createPreset: (
    config?: Record<string, unknown>
  ) => Record<string, unknown> & { whatBump: (commits: unknown[]) => unknown }
  export default createPreset
}
declare module 'conventional-changelog-angular' {
  const createPreset: (
    config?: Record<string, unknown>
  ) => Record<string, unknown> & { whatBump: (commits: unknown[]) => unknown }
  export default createPreset
}
