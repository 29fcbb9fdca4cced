export { STAGES, STAGE_NAMES, type Stage, type ActionName } from './stages.js'
export { buildConfigSchema, type ActionInputsDoc } from './schema.js'
export {
  loadConfigFile,
  stageSection,
  environmentsOf,
  type ConfigFile,
  type StageSection
} from './config-file.js'
export { sectionInputs, layeredInputs } from './layered-inputs.js'
export {
  valueTypeOf,
  valueSchema,
  DURATION_PATTERN,
  DURATION_FORM,
  INTEGER_PATTERN,
  TYPED_INPUTS,
  type ValueType
} from './value-types.js'
