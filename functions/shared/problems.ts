import type { Locale, Localized } from '../../domain/shared/localized';
import { localizeMessage, text } from '../../domain/shared/localized';
import type { DomainError } from '../../domain/shared/outcome';

/** One invalid field: where it is (a JSON pointer into `/body`, `/query` or `/path`) and what is wrong. */
export interface FieldError {
  readonly pointer: string;
  readonly detail: string;
}

interface ProblemType {
  readonly status: number;
  readonly title: Localized;
}

/**
 * Every error code the API answers with, and its HTTP status: the one table
 * that maps domain codes to statuses. A tool adds its codes here.
 */
export const PROBLEM_TYPES = {
  validation_failed: { status: 400, title: text('Некоректний запит', 'The request is invalid') },
  malformed_json: { status: 400, title: text('Тіло запиту не є JSON', 'The request body is not valid JSON') },
  invalid_cursor: { status: 400, title: text('Некоректний курсор', 'The cursor is invalid') },
  unauthorized: { status: 401, title: text('Потрібна автентифікація', 'Authentication is required') },
  forbidden: { status: 403, title: text('Доступ заборонено', 'Forbidden') },
  not_found: { status: 404, title: text('Не знайдено', 'Not found') },
  community_not_found: { status: 404, title: text('Громаду не знайдено', 'Community not found') },
  member_not_found: { status: 404, title: text('Учасника не знайдено', 'Member not found') },
  community_exists: { status: 409, title: text('Громада вже існує', 'The community already exists') },
  last_council_member: { status: 409, title: text('Останній член ради', 'The last council member') },
  version_conflict: { status: 409, title: text('Конфлікт змін', 'Conflicting change') },
  unknown_district: { status: 400, title: text('Невідомий округ', 'Unknown district') },
  reason_required: { status: 400, title: text('Потрібна причина', 'A reason is required') },
  not_eligible: { status: 403, title: text('Немає права участі', 'Not eligible') },
  not_author: { status: 403, title: text('Ви не автор', 'Not the author') },
  invalid_sponsor_token: { status: 403, title: text('Недійсне посилання', 'Invalid sponsor link') },
  petition_not_found: { status: 404, title: text('Петицію не знайдено', 'Petition not found') },
  petition_not_open: { status: 409, title: text('Петиція не відкрита', 'The petition is not open') },
  invalid_state: { status: 409, title: text('Недопустима дія в цьому стані', 'Not possible in this state') },
  author_cannot_sponsor: {
    status: 409,
    title: text('Автор не може підтримати', 'The author cannot sponsor'),
  },
  already_answered: { status: 409, title: text('Відповідь уже надано', 'Already answered') },
  item_not_found: { status: 404, title: text('Запис модерації не знайдено', 'Moderation item not found') },
  item_claimed: { status: 409, title: text('Запис уже опрацьовують', 'Someone else holds the item') },
  nothing_to_decide: { status: 409, title: text('Рішення не очікується', 'Nothing waits for a decision') },
  not_claimed: { status: 409, title: text('Запис ніхто не опрацьовує', 'Nobody holds the item') },
  not_reportable: { status: 409, title: text('Скарга неможлива', 'Cannot be reported') },
  already_appealed: { status: 409, title: text('Уже оскаржено', 'Already appealed') },
  not_appealable: { status: 409, title: text('Оскарження неможливе', 'Cannot be appealed') },
  payload_too_large: { status: 413, title: text('Запит завеликий', 'The request is too large') },
  unsupported_media_type: {
    status: 415,
    title: text('Непідтримуваний тип вмісту', 'Unsupported content type'),
  },
  internal_error: { status: 500, title: text('Внутрішня помилка', 'Internal error') },
} as const satisfies Record<string, ProblemType>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** The problem type URI of a code (RFC 9457 `type`). */
export const problemTypeUri = (code: string): string => `urn:hromada:problem:${code}`;

/**
 * A failure the HTTP stack turns into a problem response. Middlewares throw it;
 * route handlers return domain errors instead.
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly code: ProblemCode,
    readonly detail: Localized,
    readonly errors: readonly FieldError[] = [],
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail.en}`);
  }
}

/** The `application/problem+json` body, in the caller's language. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

function typeOf(code: string): ProblemType & { code: string } {
  const known = (PROBLEM_TYPES as Record<string, ProblemType>)[code];
  if (known) return { ...known, code };
  // An unmapped code is a programming error; answer 500 rather than guess a status.
  return { ...PROBLEM_TYPES.internal_error, code: 'internal_error' };
}

export function problemBody(
  code: string,
  detail: Localized,
  locale: Locale,
  errors: readonly FieldError[] = [],
  extensions: Readonly<Record<string, unknown>> = {},
): ProblemBody {
  const type = typeOf(code);
  const body: ProblemBody = {
    ...extensions,
    type: problemTypeUri(type.code),
    title: type.title[locale],
    status: type.status,
    detail: detail[locale],
    code: type.code,
  };
  if (errors.length > 0)
    body.errors = errors.map((e) => ({ pointer: e.pointer, detail: localizeMessage(e.detail, locale) }));
  return body;
}

/** A domain rejection as a problem: `details.errors` become `errors[]`, other details become extensions. */
export function problemFromDomainError(error: DomainError, locale: Locale): ProblemBody {
  const { errors, ...extensions } = (error.details ?? {}) as { errors?: FieldError[] } & Record<
    string,
    unknown
  >;
  return problemBody(error.code, error.message, locale, errors ?? [], extensions);
}
