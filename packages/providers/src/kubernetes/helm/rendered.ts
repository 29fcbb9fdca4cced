import { yamlParseAllDocuments as parseAllDocuments } from '@slipway/kit'

/** An object a chart renders, as a dry run shows it. */
export interface RenderedObject {
  kind: string
  name: string
  images: string[]
}

type Doc = {
  kind?: unknown
  metadata?: { name?: unknown }
  spec?: {
    containers?: { image?: unknown }[]
    template?: { spec?: { containers?: { image?: unknown }[] } }
  }
}

/**
 * The objects of a rendered manifest (`helm template`, or the MANIFEST part of a server dry
 * run): kind, name and the images their pods run. Hooks (`HOOKS:`) are left out.
 */
export function renderedObjects(output: string): RenderedObject[] {
  const manifest = output.includes('\nMANIFEST:\n')
    ? output.split('\nMANIFEST:\n')[1].split(/\nNOTES:\n/)[0]
    : output
  const objects: RenderedObject[] = []
  for (const doc of parseAllDocuments(manifest)) {
    const o = doc.toJSON() as Doc | null
    if (!o || typeof o.kind !== 'string') continue
    const containers = o.spec?.template?.spec?.containers ?? o.spec?.containers ?? []
    objects.push({
      kind: o.kind,
      name: String(o.metadata?.name ?? ''),
      images: containers.map(c => c.image).filter((i): i is string => typeof i === 'string')
    })
  }
  return objects
}
