import { isAbsolute, resolve } from 'node:path'
import type { RunnerEnv } from '@slipway/kit'

/**
 * The runner facts as the provider settings read them. `variables` is the step's environment
 * when the front end has one of its own (the CLI's `env`): the kubeconfig and the PATH helm is
 * found on are the user's, not those of the process that happens to run the parse. Without it
 * (the actions) the process's environment is the step's.
 */
export interface ProviderRunnerEnv extends RunnerEnv {
  variables?: NodeJS.ProcessEnv
}

export function variablesOf(runnerEnv: ProviderRunnerEnv): NodeJS.ProcessEnv {
  return runnerEnv.variables ?? process.env
}

/**
 * A relative path in settings names a file in the checkout, as every path in a workflow does:
 * the process's directory (a step's `working-directory`, the CLI's) is not where they start.
 */
export function inWorkspace(path: string, workspace: string): string {
  return isAbsolute(path) ? path : resolve(workspace, path)
}
