// Its own module so the bundler makes the stages' settings parse a chunk that main.ts loads
// after the action's own inputs have been read.
export { parsePipelineSettings } from '@slipway/pipeline'
