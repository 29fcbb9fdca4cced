// Renders the inputs and outputs tables of an action's README from its action.yml, so the
// documentation cannot drift from what the action declares.
import { parse } from 'yaml'

const MARKERS = {
  inputs: ['<!-- slipway:inputs:start -->', '<!-- slipway:inputs:end -->'],
  outputs: ['<!-- slipway:outputs:start -->', '<!-- slipway:outputs:end -->']
}

function cell(text) {
  return String(text ?? '')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
}

function defaultCell(value) {
  if (value === undefined || value === null || value === '') return ''
  return `\`${cell(value)}\``
}

export function inputsTable(action) {
  const rows = Object.entries(action.inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${cell(spec.description)} | ${spec.required ? 'yes' : 'no'} | ${defaultCell(spec.default)} |`
  )
  if (rows.length === 0) return '_This action has no inputs._'
  return [
    '| input | description | required | default |',
    '| --- | --- | --- | --- |',
    ...rows
  ].join('\n')
}

export function outputsTable(action) {
  const rows = Object.entries(action.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`
  )
  if (rows.length === 0) return '_This action has no outputs._'
  return ['| output | description |', '| --- | --- |', ...rows].join('\n')
}

/** Returns the README with both generated sections replaced, or throws when a marker is missing. */
export function renderReadme(readme, actionYaml) {
  const action = parse(actionYaml)
  let result = readme
  for (const [section, [start, end]] of Object.entries(MARKERS)) {
    const from = result.indexOf(start)
    const to = result.indexOf(end)
    if (from === -1 || to === -1 || to < from)
      throw new Error(`missing the ${start} … ${end} markers`)
    const table = section === 'inputs' ? inputsTable(action) : outputsTable(action)
    result = `${result.slice(0, from + start.length)}\n${table}\n${result.slice(to)}`
  }
  return result
}
