import type { Provider, Target } from '@slipway/providers'
import { errorMessage } from '@slipway/kit'
import type { Diagnostic } from './types.js'

/**
 * Asks the provider for its evidence on targets that failed (the docker provider's last
 * container log lines). Never throws: a failed deploy is reported with or without evidence.
 */
export async function collectDiagnostics(
  provider: Provider,
  targets: Target[],
  version: string
): Promise<Diagnostic[]> {
  if (!provider.diagnose) return []
  const found: Diagnostic[] = []
  for (const target of targets) {
    try {
      const text = await provider.diagnose(target, { version })
      if (text?.trim()) found.push({ target: target.name, text })
    } catch (error) {
      found.push({ target: target.name, text: `(no diagnostics: ${errorMessage(error)})` })
    }
  }
  return found
}
