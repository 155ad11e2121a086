import { type Localized, text } from '../shared/localized';

/**
 * Why a moderator rejected or hid a petition: one documented list, each code
 * with the text its author is shown. Codes marked `hidesText` also withhold the
 * petition's text from the public (it stays for the author and the staff).
 */
export const REASON_CODES = {
  duplicate: { hidesText: false, text: text('Така петиція вже є.', 'A petition like this already exists.') },
  not_in_competence: {
    hidesText: false,
    text: text('Питання поза повноваженнями громади.', 'The matter is outside the community’s powers.'),
  },
  offensive: { hidesText: true, text: text('Текст містить образи.', 'The text is offensive.') },
  personal_data: {
    hidesText: true,
    text: text('Текст містить персональні дані.', 'The text contains personal data.'),
  },
  unlawful: {
    hidesText: true,
    text: text('Текст закликає до незаконних дій.', 'The text calls for unlawful acts.'),
  },
  unclear: {
    hidesText: false,
    text: text('Вимогу сформульовано незрозуміло.', 'The request is not stated clearly.'),
  },
  other: { hidesText: false, text: text('Інша причина (див. примітку).', 'Another reason (see the note).') },
} as const satisfies Record<string, { hidesText: boolean; text: Localized }>;

export type ReasonCode = keyof typeof REASON_CODES;
export const REASON_CODE_LIST = Object.keys(REASON_CODES) as ReasonCode[];
