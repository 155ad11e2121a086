/**
 * The length limits of comments and free-text answers count Unicode code points
 * of the trimmed text: what a person sees as one letter or one emoji is one,
 * not the two UTF-16 units of `'😀'.length`. (An emoji built of several code
 * points, a flag or a skin tone, counts as several: a limit must not depend on
 * how a font draws it.)
 * @example codePointLength(' 👍🏽 ') // → 2
 */
export function codePointLength(value: string): number {
  return [...value.trim()].length;
}
