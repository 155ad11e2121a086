import type { Locale, Localized } from '../../domain/shared/localized';
import { localizeMessage, text } from '../../domain/shared/localized';
import type { DomainError } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';

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
  unknown_issuer: { status: 400, title: text('Невідомий видавець', 'Unknown issuer') },
  not_due: { status: 409, title: text('Ще не час', 'Not due yet') },
  rate_limited: { status: 429, title: text('Забагато дій', 'Too many actions') },
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
  idempotency_key_required: {
    status: 400,
    title: text('Потрібен ключ ідемпотентності', 'An idempotency key is required'),
  },
  idempotency_key_reused: {
    status: 422,
    title: text('Ключ ідемпотентності вже використано', 'The idempotency key was used for another request'),
  },
  item_not_found: { status: 404, title: text('Запис модерації не знайдено', 'Moderation item not found') },
  item_claimed: { status: 409, title: text('Запис уже опрацьовують', 'Someone else holds the item') },
  nothing_to_decide: { status: 409, title: text('Рішення не очікується', 'Nothing waits for a decision') },
  not_claimed: { status: 409, title: text('Запис ніхто не опрацьовує', 'Nobody holds the item') },
  not_reportable: { status: 409, title: text('Скарга неможлива', 'Cannot be reported') },
  already_appealed: { status: 409, title: text('Уже оскаржено', 'Already appealed') },
  not_appealable: { status: 409, title: text('Оскарження неможливе', 'Cannot be appealed') },
  own_item: { status: 403, title: text('Власне звернення', 'Your own submission') },
  report_too_large: {
    status: 422,
    title: text('Завеликий період звіту', 'Too many decisions for one report'),
  },
  // Participatory budgets.
  budget_not_found: { status: 404, title: text('Бюджет не знайдено', 'Budget not found') },
  project_not_found: { status: 404, title: text('Проєкт не знайдено', 'Project not found') },
  project_limit_reached: {
    status: 409,
    title: text('Бюджет більше не приймає проєктів', 'The budget takes no more projects'),
  },
  wrong_phase: { status: 409, title: text('Не та фаза бюджету', 'Not in this phase of the budget') },
  invalid_phase_change: { status: 409, title: text('Недопустима зміна фази', 'Invalid phase change') },
  unknown_pot: { status: 400, title: text('Невідомий кошик', 'Unknown pot') },
  cost_over_pot: { status: 400, title: text('Вартість більша за кошик', 'The cost is more than the pot') },
  rule_needs_approval_ballots: {
    status: 400,
    title: text(
      'Правило потребує бюлетенів approval або з балами',
      'The rule needs approval or point ballots',
    ),
  },
  completion_needs_equal_shares: {
    status: 400,
    title: text('Доповнення лише для рівних часток', 'The completion needs equal shares'),
  },
  invalid_add1_step: {
    status: 400,
    title: text('Крок add1 має бути щонайменше 1', 'The add1 step must be at least 1'),
  },
  invalid_pabulib: { status: 400, title: text('Некоректний файл pabulib', 'Invalid pabulib file') },
  unsupported_vote_type: {
    status: 422,
    title: text('Непідтримуваний тип голосування', 'Unsupported vote type'),
  },
  amount_too_large: { status: 422, title: text('Сума завелика', 'The amount is too large') },
  results_not_public: {
    status: 403,
    title: text('Результати ще не оприлюднено', 'Results not published yet'),
  },
  results_not_computed: { status: 409, title: text('Результати не обчислено', 'Results not computed') },
  ballot_too_few_projects: { status: 422, title: text('Замало проєктів', 'Too few projects') },
  ballot_too_many_projects: { status: 422, title: text('Забагато проєктів', 'Too many projects') },
  ballot_over_budget: { status: 422, title: text('Більше за кошик', 'Over the pot') },
  ballot_under_min_share: { status: 422, title: text('Менше мінімальної частки', 'Under the minimum share') },
  ballot_too_many_points: { status: 422, title: text('Забагато балів', 'Too many points') },
  ballot_too_many_points_for_project: {
    status: 422,
    title: text('Забагато балів одному проєкту', 'Too many points for one project'),
  },
  ballot_invalid_points: { status: 422, title: text('Некоректні бали', 'Invalid points') },
  ballot_points_mismatch: {
    status: 422,
    title: text('Бали не відповідають проєктам', 'Points do not match projects'),
  },
  ballot_points_not_allowed: { status: 422, title: text('Бали не передбачено', 'Points not allowed') },
  ballot_too_many_ranked: { status: 422, title: text('Забагато в рейтингу', 'Too many ranked') },
  ballot_unknown_project: {
    status: 422,
    title: text('Проєкту немає в бюлетені', 'Project not on the ballot'),
  },
  ballot_duplicate_project: { status: 422, title: text('Проєкт обрано двічі', 'Project chosen twice') },
  // Consultations (`invalid_phase_change` is shared with budgets, above). 422: well-formed, but breaks a rule.
  consultation_not_found: {
    status: 404,
    title: text('Консультацію не знайдено', 'Consultation not found'),
  },
  consultation_not_open: {
    status: 409,
    title: text('Консультація не відкрита', 'The consultation is not open'),
  },
  invalid_phase: { status: 409, title: text('Недоступно в цій фазі', 'Not possible in this phase') },
  invalid_dates: { status: 422, title: text('Некоректні дати', 'Invalid dates') },
  draft_too_large: { status: 422, title: text('Проєкт завеликий', 'The draft is too large') },
  too_many_sections: { status: 422, title: text('Забагато розділів', 'Too many sections') },
  too_many_paragraphs: { status: 422, title: text('Забагато абзаців', 'Too many paragraphs') },
  draft_empty: { status: 422, title: text('Проєкт порожній', 'The draft is empty') },
  duplicate_block_id: { status: 422, title: text('Повторений ідентифікатор', 'Duplicate block id') },
  draft_unchanged: { status: 409, title: text('Редакція не змінилася', 'The draft is unchanged') },
  draft_version_not_found: { status: 404, title: text('Редакції не знайдено', 'Draft version not found') },
  comment_not_found: { status: 404, title: text('Коментар не знайдено', 'Comment not found') },
  comment_empty: { status: 422, title: text('Коментар порожній', 'The comment is empty') },
  comment_too_long: { status: 422, title: text('Коментар задовгий', 'The comment is too long') },
  unknown_target: {
    status: 422,
    title: text('Немає такого розділу чи абзацу', 'No such section or paragraph'),
  },
  comment_state_conflict: {
    status: 409,
    title: text('Недоступно в цьому стані коментаря', 'Not possible in this state of the comment'),
  },
  reply_too_deep: { status: 409, title: text('Гілка задовга', 'The thread is too deep') },
  edit_window_closed: { status: 409, title: text('Час редагування минув', 'The edit window has closed') },
  survey_not_found: { status: 404, title: text('Опитування немає', 'No survey') },
  answer_required: { status: 422, title: text('Потрібна відповідь', 'An answer is required') },
  unknown_question: { status: 422, title: text('Невідоме питання', 'Unknown question') },
  answer_to_hidden_question: {
    status: 422,
    title: text('Відповідь на приховане питання', 'Answer to a hidden question'),
  },
  wrong_answer_type: { status: 422, title: text('Невідповідний тип відповіді', 'Wrong type of answer') },
  unknown_option: { status: 422, title: text('Невідомий варіант', 'Unknown option') },
  duplicate_choice: { status: 422, title: text('Варіант обрано двічі', 'Option chosen twice') },
  too_few_choices: { status: 422, title: text('Замало варіантів', 'Too few options') },
  too_many_choices: { status: 422, title: text('Забагато варіантів', 'Too many options') },
  scale_out_of_range: { status: 422, title: text('Оцінка поза шкалою', 'Rating out of range') },
  ranking_duplicate: { status: 422, title: text('Повтор у рейтингу', 'Repeated in the ranking') },
  ranking_unknown_option: {
    status: 422,
    title: text('Невідомий варіант у рейтингу', 'Unknown option ranked'),
  },
  text_too_long: { status: 422, title: text('Відповідь задовга', 'The answer is too long') },
  report_not_found: { status: 404, title: text('Звіту ще немає', 'No report yet') },
  report_empty: { status: 422, title: text('Звіт порожній', 'The report is empty') },
  unknown_section: { status: 422, title: text('Невідомий розділ', 'Unknown section') },
  duplicate_section: { status: 422, title: text('Розділ повторено', 'Section repeated') },
  summary_required: { status: 422, title: text('Потрібен підсумок', 'A summary is required') },
  reasons_required: { status: 422, title: text('Потрібне обґрунтування', 'Reasons are required') },
  unknown_comment: { status: 422, title: text('Невідомий коментар', 'Unknown comment') },
  // End of consultations.
  appeal_not_found: { status: 404, title: text('Звернення не знайдено', 'There is no such appeal') },
  unknown_category: { status: 400, title: text('Невідома категорія', 'Unknown category') },
  category_not_for_kind: {
    status: 422,
    title: text('Категорія не для цього виду звернень', 'The category does not take this kind of item'),
  },
  location_out_of_bounds: {
    status: 422,
    title: text('Місце поза межами громади', 'The location is outside the community'),
  },
  unknown_unit: { status: 422, title: text('Невідомий підрозділ', 'Unknown unit') },
  not_unit_officer: {
    status: 403,
    title: text('Ви не опрацьовуєте звернення цього підрозділу', 'You do not handle this unit’s items'),
  },
  appeal_closed: { status: 409, title: text('Звернення вже закрите', 'The item is already closed') },
  extension_refused: {
    status: 409,
    title: text('Строк продовжити не можна', 'The deadline cannot be extended'),
  },
  unknown_refusal_reason: {
    status: 422,
    title: text('Невідома підстава відмови', 'Unknown reason for refusal'),
  },
  invalid_previous_appeal: {
    status: 422,
    title: text('Попереднє звернення не підходить', 'The previous appeal does not qualify'),
  },
  payload_too_large: { status: 413, title: text('Запит завеликий', 'The request is too large') },
  unsupported_media_type: {
    status: 415,
    title: text('Непідтримуваний тип вмісту', 'Unsupported content type'),
  },
  internal_error: { status: 500, title: text('Внутрішня помилка', 'Internal error') },
} as const satisfies Record<ProblemCode, ProblemType>;

export type { ProblemCode };

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
