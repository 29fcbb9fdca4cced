/** GitHub limits status descriptions to 140 characters. */
const DESCRIPTION_LIMIT = 140
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * One line of at most 140 UTF-16 units (GitHub counts characters; units are never fewer), cut
 * between graphemes: half a surrogate pair is not text, and half an emoji sequence (skin tone,
 * ZWJ family, flag) or a letter without its accent shows as something else.
 */
export function clipDescription(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim()
  if (single.length <= DESCRIPTION_LIMIT) return single
  let kept = ''
  for (const { segment } of graphemes.segment(single)) {
    if (kept.length + segment.length > DESCRIPTION_LIMIT - 1) break
    kept += segment
  }
  return `${kept.trimEnd()}…`
}
