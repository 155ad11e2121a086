/** The two languages every community must offer: Ukrainian first, English second. */
export const LOCALES = ['uk', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text a resident may read, in both languages. */
export type Localized = Readonly<Record<Locale, string>>;

/** @example text('Громаду не знайдено', 'Community not found') */
export function text(uk: string, en: string): Localized {
  return { uk, en };
}

const I18N_PREFIX = 'i18n:';

/**
 * A validation message in both languages, packed into the one string zod carries.
 * The HTTP layer unpacks it with {@link localizeMessage} for the caller's language.
 * @example z.string().refine(isSlug, { error: validationMessage(text('лише a-z', 'only a-z')) })
 */
export function validationMessage(message: Localized): string {
  return `${I18N_PREFIX}${JSON.stringify(message)}`;
}

/** The caller's language version of a message made by {@link validationMessage}; other text unchanged. */
export function localizeMessage(message: string, locale: Locale): string {
  if (!message.startsWith(I18N_PREFIX)) return message;
  const packed = JSON.parse(message.slice(I18N_PREFIX.length)) as Localized;
  return packed[locale];
}
