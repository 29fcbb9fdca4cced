/**
 * The stages of the procedure, in order, and the action that performs each. A config file
 * section for a stage holds that action's inputs under the same names, so the file, the
 * workflow `with:` and the CLI flags all speak one vocabulary.
 */
export const STAGES = {
  preflight: 'preflight-check',
  backup: 'backup',
  deploy: 'deploy-strategy',
  smoke: 'smoke-test',
  release: 'tag-and-release',
  rollback: 'rollback'
} as const

export type Stage = keyof typeof STAGES
export type ActionName = (typeof STAGES)[Stage]

export const STAGE_NAMES = Object.keys(STAGES) as Stage[]
