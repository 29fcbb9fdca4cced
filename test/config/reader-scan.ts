import { join, relative } from 'node:path'
import ts from 'typescript'

/** What one `inputs.<reader>('name', …)` call accepts, as the type checker sees it. */
export interface ReaderCall {
  input: string
  reader: string
  /** enumOf: the allowed values, from the type of its second argument. */
  values?: string[]
  file: string
}

const READERS = new Set([
  'string',
  'requiredString',
  'int',
  'bool',
  'duration',
  'list',
  'enumOf',
  'url',
  'yaml',
  'json',
  'raw'
])

/**
 * Every input reader call in the packages and actions, read with the TypeScript checker so an
 * enum's values come from whatever constant or literal the call passes (spreads included):
 * the readers' real vocabulary, not a copy of it.
 */
export function scanReaderCalls(root: string): ReaderCall[] {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(
    { ...config.config, include: ['packages/*/src/**/*.ts', 'actions/*/src/**/*.ts'] },
    ts.sys,
    root
  )
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true })
  const checker = program.getTypeChecker()
  const calls: ReaderCall[] = []
  for (const source of program.getSourceFiles()) {
    if (source.isDeclarationFile || source.fileName.includes('node_modules')) continue
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        READERS.has(node.expression.name.text) &&
        node.arguments.length > 0 &&
        ts.isStringLiteralLike(node.arguments[0]) &&
        isInputs(checker.getTypeAtLocation(node.expression.expression))
      ) {
        const reader = node.expression.name.text
        const call: ReaderCall = {
          input: node.arguments[0].text,
          reader,
          file: relative(root, source.fileName)
        }
        if (reader === 'enumOf') call.values = literalValues(checker, node.arguments[1])
        calls.push(call)
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return calls
}

function isInputs(type: ts.Type): boolean {
  return type.getSymbol()?.getName() === 'Inputs'
}

function literalValues(checker: ts.TypeChecker, node: ts.Expression): string[] {
  const array = checker.getTypeAtLocation(node)
  const element = checker.getIndexTypeOfType(array, ts.IndexKind.Number)
  if (!element) throw new Error(`cannot read the values of ${node.getText()}`)
  const members = element.isUnion() ? element.types : [element]
  return members.map(member => {
    if (!member.isStringLiteral()) throw new Error(`not a string literal in ${node.getText()}`)
    return member.value
  })
}
