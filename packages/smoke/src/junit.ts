import { writeRedactedFile, type Redactor } from '@slipway/kit'
import { describeVerdict } from './load.js'
import type { SmokeReport } from './report.js'

/**
 * JUnit XML for test-report tools (dorny/test-reporter, mikepenz/action-junit-report, GitLab):
 * one suite for the HTTP checks, one for the load check's thresholds, one for the watch
 * window. A stage that did not run (an earlier stage failed) is reported as skipped.
 */
export function toJUnit(report: SmokeReport): string {
  const suites: string[] = []
  let tests = 0
  let failures = 0
  let skipped = 0
  const suite = (name: string, cases: TestCase[], seconds: number): void => {
    if (cases.length === 0) return
    const failed = cases.filter(c => c.failure !== undefined).length
    const skip = cases.filter(c => c.skipped).length
    tests += cases.length
    failures += failed
    skipped += skip
    suites.push(
      `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skip}" time="${secs(seconds)}" timestamp="${xml(report.startedAt.replace(/\.\d+Z$/, ''))}">\n` +
        cases.map(c => renderCase(name, c)).join('') +
        '  </testsuite>\n'
    )
  }

  suite(
    'smoke-test.checks',
    report.checks.map(check => ({
      name: check.name,
      seconds: check.durationMs / 1000,
      failure: check.passed
        ? undefined
        : {
            message: check.message,
            body: [
              `${check.method} ${check.url}`,
              `attempts: ${check.attempts}`,
              check.httpStatus === undefined ? 'no HTTP answer' : `status: ${check.httpStatus}`,
              ...(check.failures ?? []).map(f => `failed: ${f}`),
              ...(check.bodyExcerpt ? [`body: ${check.bodyExcerpt}`] : [])
            ].join('\n')
          },
      systemOut: `${check.method} ${check.url} → ${check.httpStatus ?? '-'} in ${check.latencyMs ?? '-'}ms (${check.attempts} attempt(s))`
    })),
    Math.max(0, ...report.checks.map(c => c.durationMs)) / 1000
  )

  if (report.load) {
    const load = report.load
    const cases: TestCase[] = load.verdicts.map(verdict => ({
      name: `${verdict.metric} (${verdict.source})`,
      seconds: 0,
      failure: verdict.ok
        ? undefined
        : { message: describeVerdict(verdict), body: describeVerdict(verdict) }
    }))
    cases.unshift({
      name: 'requests completed',
      seconds: load.figures.durationMs / 1000,
      failure:
        load.figures.requests > 0 ? undefined : { message: load.message, body: load.message },
      systemOut: JSON.stringify(load.figures)
    })
    suite('smoke-test.load', cases, load.figures.durationMs / 1000)
  } else if (report.skipped.includes('load')) {
    suite('smoke-test.load', [{ name: 'load check', seconds: 0, skipped: true }], 0)
  }

  if (report.watch) {
    const watch = report.watch
    const names = [...report.checks.map(c => c.name), ...watch.settings.queries]
    const cases: TestCase[] = names.map(name => {
      const breaches = watch.breachRounds.flatMap(round =>
        round.failures
          .filter(f => f.name === name)
          .map(
            f => `round ${round.index + 1} (+${(round.offsetMs / 1000).toFixed(1)}s): ${f.message}`
          )
      )
      return {
        name: `watch: ${name}`,
        seconds: watch.durationMs / 1000,
        failure:
          breaches.length === 0 || watch.passed
            ? undefined
            : { message: breaches[0], body: breaches.join('\n') },
        systemOut: breaches.length > 0 && watch.passed ? breaches.join('\n') : undefined
      }
    })
    suite('smoke-test.watch', cases, watch.durationMs / 1000)
  } else if (report.skipped.includes('watch')) {
    suite('smoke-test.watch', [{ name: 'watch window', seconds: 0, skipped: true }], 0)
  }

  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="slipway smoke-test" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(report.durationMs / 1000)}">\n` +
    suites.join('') +
    '</testsuites>\n'
  )
}

interface TestCase {
  name: string
  seconds: number
  failure?: { message: string; body: string }
  skipped?: boolean
  systemOut?: string
}

function renderCase(classname: string, c: TestCase): string {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(c.name)}" time="${secs(c.seconds)}"`
  const inner: string[] = []
  if (c.skipped) inner.push('      <skipped/>\n')
  if (c.failure)
    inner.push(
      `      <failure message="${xml(oneLine(c.failure.message))}" type="AssertionError">${xml(c.failure.body)}</failure>\n`
    )
  if (c.systemOut) inner.push(`      <system-out>${xml(c.systemOut)}</system-out>\n`)
  return inner.length === 0 ? `${open}/>\n` : `${open}>\n${inner.join('')}    </testcase>\n`
}

/**
 * Escapes text for XML attributes and content, and drops characters XML 1.0 cannot carry
 * at all (control characters from a binary response body would make the file unreadable).
 */
export function xml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- the allowed XML 1.0 characters are defined by code points
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  )
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 500)
}

function secs(seconds: number): string {
  return seconds.toFixed(3)
}

/**
 * Writes the XML, creating the directory; returns the path. The file is uploaded and read by
 * other tools, so secrets (a body echoing a request header, a password in a URL) are removed
 * from the report before it is rendered (XML escaping would hide them from a later pass) and
 * from the text after.
 */
export function writeJUnit(path: string, report: SmokeReport, redactor: Redactor): string {
  return writeRedactedFile(path, toJUnit(redactor.redactValue(report)), redactor)
}
