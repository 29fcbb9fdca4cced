export { buildHelmProvider, findHelm } from './build.js'
export { HelmProvider } from './provider.js'
export type { HelmInputs, HelmContext } from './options.js'
