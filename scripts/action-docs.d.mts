export function inputsTable(action: unknown): string
export function outputsTable(action: unknown): string
export function renderReadme(readme: string, actionYaml: string): string
