export { ComposeProvider, type ComposeProviderOptions } from './provider.js'
export { buildComposeProvider, type ComposeDeps } from './build.js'
export { composeArgv, detectCompose, type ComposeCli } from './cli.js'
export { judgeProject, type InspectedContainer, type ProjectVerdict } from './gate.js'
