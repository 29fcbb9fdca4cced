import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

const repoRoot = join(import.meta.dirname, '..', '..')

/** The alert rules docs/monitoring.md shows, as the suite loads them: the docs are tested. */
export function documentedRules(): { groups: unknown[] } {
  const doc = readFileSync(join(repoRoot, 'docs', 'monitoring.md'), 'utf8')
  const block = /<!-- rules:begin -->\s*```yaml\n([\s\S]*?)```\s*<!-- rules:end -->/.exec(doc)
  if (!block) throw new Error('docs/monitoring.md lost its rules block')
  return parse(block[1]) as { groups: unknown[] }
}

/** The team's rule on the sample app: a share of 500s above 10 %, for a short `for:`. */
export const APP_RULES = {
  name: 'sample-app',
  rules: [
    {
      alert: 'SampleAppErrors',
      expr: 'sum by (version) (rate(http_requests_total{code="500"}[5s])) / sum by (version) (rate(http_requests_total[5s])) > 0.1',
      for: '1s',
      labels: { service: 'shop', severity: 'page' },
      annotations: { summary: 'error rate of {{ $labels.version }} above 10%' }
    }
  ]
}
