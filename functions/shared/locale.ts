import { LOCALES, type Locale } from '../../domain/shared/localized';

/** The language a client asked for, when it is one we speak. */
export const DEFAULT_LOCALE: Locale = 'uk';

/**
 * Picks `uk` or `en` from an `Accept-Language` header by quality value
 * (`en-GB;q=0.8, uk;q=0.9` → `uk`). Anything else falls back to Ukrainian,
 * the language every community works in.
 */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .map((entry, position) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const qParam = params.find((p) => p.trim().startsWith('q='));
      const quality = qParam ? Number(qParam.trim().slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', quality, position };
    })
    .filter((entry) => Number.isFinite(entry.quality) && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.position - b.position);
  const match = ranked.find((entry) => (LOCALES as readonly string[]).includes(entry.language));
  return (match?.language as Locale | undefined) ?? DEFAULT_LOCALE;
}
