import { type Localized, text } from '../shared/localized';

/**
 * Why a moderator rejected or hid something: one documented list for every
 * tool (petitions, budget projects, consultation comments), each code with the
 * text its author is shown. Codes marked `hidesText` also withhold the text
 * from the public (it stays for the author and the staff).
 *
 * `reported` is the system's own code, for an item hidden because residents'
 * reports reached the community's `reportsBeforeHide`: no moderator chooses it.
 */
export const REASON_CODES = {
  duplicate: { hidesText: false, text: text('Таке звернення вже є.', 'Something like this already exists.') },
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
  spam: { hidesText: true, text: text('Це реклама або спам.', 'This is advertising or spam.') },
  off_topic: {
    hidesText: false,
    text: text('Текст не стосується предмета обговорення.', 'The text is not about the matter discussed.'),
  },
  unclear: {
    hidesText: false,
    text: text('Вимогу сформульовано незрозуміло.', 'The request is not stated clearly.'),
  },
  other: { hidesText: false, text: text('Інша причина (див. примітку).', 'Another reason (see the note).') },
  reported: {
    hidesText: true,
    text: text(
      'Приховано після скарг мешканців до рішення модератора.',
      "Hidden after residents' reports until a moderator decides.",
    ),
  },
} as const satisfies Record<string, { hidesText: boolean; text: Localized }>;

export type ReasonCode = keyof typeof REASON_CODES;
export const REASON_CODE_LIST = Object.keys(REASON_CODES) as ReasonCode[];

/** The code the system uses when reports hide an item; never a moderator's choice. */
export const SYSTEM_REASON: ReasonCode = 'reported';

/** The codes a moderator may give, and a resident may report with. */
export const CHOOSABLE_REASON_CODES = REASON_CODE_LIST.filter((code) => code !== SYSTEM_REASON) as [
  ReasonCode,
  ...ReasonCode[],
];

/** The uk/en text of a code, or undefined for one this version does not know (an older record). */
export function reasonText(code: string | undefined): Localized | undefined {
  return code !== undefined && code in REASON_CODES ? REASON_CODES[code as ReasonCode].text : undefined;
}
