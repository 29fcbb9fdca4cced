import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ours from '../../packages/kit/src/runner-commands.js'

// The actions speak the runner's protocol without @actions/core (loading it is most of a cold
// start): what they write must be what @actions/core writes, byte for byte, but for the random
// heredoc delimiter of an output.

interface Writer {
  setSecret(secret: string): void
  info(message: string): void
  warning(message: string): void
  startGroup(name: string): void
  endGroup(): void
  setOutput(name: string, value: string): void
  setFailed(message: string): void
}

const TEXTS = [
  'plain',
  'two\nlines',
  'carriage\r\nreturn',
  'per%cent 100%',
  'a::colon, and comma',
  '',
  'ünïcødé ✓'
]

let dir: string
let written: string[] = []
const realWrite = process.stdout.write.bind(process.stdout)
const savedOutput = process.env.GITHUB_OUTPUT

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-commands-'))
  written = []
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  }) as typeof process.stdout.write
})

afterEach(() => {
  process.stdout.write = realWrite
  process.exitCode = undefined
  if (savedOutput === undefined) delete process.env.GITHUB_OUTPUT
  else process.env.GITHUB_OUTPUT = savedOutput
  rmSync(dir, { recursive: true, force: true })
})

/** What one writer sends: stdout, the output file (delimiters normalised) and the exit code. */
function transcript(writer: Writer, outputFile: string | undefined) {
  written = []
  process.exitCode = undefined
  if (outputFile === undefined) delete process.env.GITHUB_OUTPUT
  else {
    writeFileSync(outputFile, '')
    process.env.GITHUB_OUTPUT = outputFile
  }
  for (const text of TEXTS) {
    writer.setSecret(text)
    writer.info(text)
    writer.warning(text)
    writer.startGroup(text)
    writer.endGroup()
    writer.setOutput(`name ${text}`, text)
  }
  writer.setFailed('step failed:\nbecause 50% of it did')
  const file =
    outputFile === undefined
      ? ''
      : readFileSync(outputFile, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIMITER')
  return { stdout: written.join(''), file, exitCode: process.exitCode }
}

describe("the kit's runner commands", () => {
  it('write outputs to GITHUB_OUTPUT and commands to stdout exactly as @actions/core does', () => {
    const theirs = transcript(core, join(dir, 'core-output'))
    const mine = transcript(ours, join(dir, 'our-output'))
    expect(mine).toEqual(theirs)
    expect(mine.file).toContain('name two\nlines<<DELIMITER\ntwo\nlines\nDELIMITER\n')
    expect(mine.stdout).toContain('::add-mask::two%0Alines\n')
    expect(mine.stdout).toContain('::error::step failed:%0Abecause 50%25 of it did\n')
    expect(mine.exitCode).toBe(1)
  })

  it('fall back to ::set-output without GITHUB_OUTPUT, as @actions/core does', () => {
    const theirs = transcript(core, undefined)
    const mine = transcript(ours, undefined)
    expect(mine).toEqual(theirs)
    expect(mine.stdout).toContain('::set-output name=name a%3A%3Acolon%2C and comma::')
  })

  it('refuse an output file that does not exist, as @actions/core does', () => {
    process.env.GITHUB_OUTPUT = join(dir, 'missing')
    expect(() => ours.setOutput('name', 'value')).toThrow(/Missing file at path/)
    expect(() => core.setOutput('name', 'value')).toThrow(/Missing file at path/)
  })
})
