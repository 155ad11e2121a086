import { type Localized, text } from '../shared/localized';
import { AppealKind } from './settings';

/**
 * The lawful reasons an item may be refused, per kind, each with the text the
 * author reads (uk/en). Appeals: Law "On Citizens' Appeals", art. 8;
 * information requests: Law "On Access to Public Information", art. 22.
 */
export const REFUSAL_REASONS = {
  [AppealKind.appeal]: {
    repeated: text(
      'Повторне звернення з питання, на яке вже надано відповідь, без нових обставин.',
      'A repeated appeal on a question already answered, without new circumstances.',
    ),
    no_content: text(
      'У зверненні не викладено прохання, пропозиції, заяви чи скарги.',
      'The appeal states no request, proposal, statement or complaint.',
    ),
    not_competent: text(
      'Питання не належить до повноважень ради та її виконавчих органів.',
      'The question is outside the powers of the council and its executive bodies.',
    ),
  },
  [AppealKind.information_request]: {
    not_holder: text(
      'Розпорядник не володіє запитуваною інформацією.',
      'The council does not hold the information requested.',
    ),
    restricted: text(
      'Інформація належить до інформації з обмеженим доступом (конфіденційна, таємна чи службова, ст. 6).',
      'The information is restricted (confidential, secret or official information, art. 6).',
    ),
    not_information_request: text(
      'Запит стосується роз’яснення, а не наявної інформації.',
      'The request asks for an explanation, not for information held.',
    ),
    incomplete: text(
      'У запиті не описано, яку інформацію потрібно надати.',
      'The request does not describe the information wanted.',
    ),
  },
  [AppealKind.issue_report]: {
    duplicate: text('Про цю проблему вже повідомлено.', 'This problem has already been reported.'),
    not_competent: text(
      'Проблема не належить до відання громади.',
      'The problem is outside the community’s remit.',
    ),
    not_an_issue: text('Повідомлення не описує проблему.', 'The report does not describe a problem.'),
  },
} as const satisfies Record<AppealKind, Record<string, Localized>>;

/** The refusal reason codes a kind of item allows. */
export function refusalCodes(kind: AppealKind): string[] {
  return Object.keys(REFUSAL_REASONS[kind]);
}

/** The reason's text, or undefined when the kind has no such reason. */
export function refusalReason(kind: AppealKind, code: string): Localized | undefined {
  return (REFUSAL_REASONS[kind] as Record<string, Localized>)[code];
}

/** Every reason code of every kind (for the request schema; the command checks the kind). */
export const REFUSAL_CODES = [...new Set(Object.values(REFUSAL_REASONS).flatMap((r) => Object.keys(r)))];
