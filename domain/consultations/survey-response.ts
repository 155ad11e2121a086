import { type Localized, text } from '../shared/localized';
import type { Answer, Condition, Question, Survey, SurveyAnswers } from './survey';
import { SCALES } from './survey';
import { codePointLength } from './text-length';
import { pointerSegment, type Violation } from './violations';

/**
 * The codes a survey response can be refused with: one per kind of mistake, so
 * that a client can tell each apart (and the HTTP layer gives each its own problem type).
 */
export const ResponseErrorCode = {
  answer_required: 'answer_required',
  unknown_question: 'unknown_question',
  answer_to_hidden_question: 'answer_to_hidden_question',
  wrong_answer_type: 'wrong_answer_type',
  unknown_option: 'unknown_option',
  duplicate_choice: 'duplicate_choice',
  too_few_choices: 'too_few_choices',
  too_many_choices: 'too_many_choices',
  scale_out_of_range: 'scale_out_of_range',
  ranking_duplicate: 'ranking_duplicate',
  ranking_unknown_option: 'ranking_unknown_option',
  text_too_long: 'text_too_long',
} as const;
export type ResponseErrorCode = (typeof ResponseErrorCode)[keyof typeof ResponseErrorCode];

const answerPointer = (questionId: string, element?: number): string =>
  `/answers/${pointerSegment(questionId)}${element === undefined ? '' : `/${element}`}`;

function violation(
  code: ResponseErrorCode,
  questionId: string,
  message: Localized,
  details: Record<string, unknown> = {},
  element?: number,
): Violation {
  return { code, pointer: answerPointer(questionId, element), message, details: { questionId, ...details } };
}

/** No answer: absent, null, blank text or an empty list. Such an answer is simply not stored. */
function isAbsent(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function wrongType(question: Question, expected: Localized): Violation {
  return violation(
    'wrong_answer_type',
    question.id,
    text(`Відповідь має бути: ${expected.uk}.`, `The answer must be ${expected.en}.`),
    { expected: question.type },
  );
}

/** The first problem with a list of option ids: unknown, then repeated, then too few or too many. */
function listViolation(
  question: Extract<Question, { type: 'multiple' | 'ranking' }>,
  chosen: readonly string[],
): Violation | undefined {
  const ranking = question.type === 'ranking';
  const known = new Set(question.options.map((option) => option.id));
  const unknown = chosen.findIndex((id) => !known.has(id));
  if (unknown !== -1) {
    return violation(
      ranking ? 'ranking_unknown_option' : 'unknown_option',
      question.id,
      text(
        `Варіанта «${chosen[unknown]}» у цьому питанні немає.`,
        `This question has no option "${chosen[unknown]}".`,
      ),
      { optionId: chosen[unknown] },
      unknown,
    );
  }
  const repeated = chosen.findIndex((id, at) => chosen.indexOf(id) !== at);
  if (repeated !== -1) {
    return violation(
      ranking ? 'ranking_duplicate' : 'duplicate_choice',
      question.id,
      text(`Варіант «${chosen[repeated]}» указано двічі.`, `Option "${chosen[repeated]}" is given twice.`),
      { optionId: chosen[repeated] },
      repeated,
    );
  }
  const { min, max } = choiceBounds(question);
  if (chosen.length < min) {
    return violation(
      'too_few_choices',
      question.id,
      ranking
        ? text(`Розташуйте за порядком усі ${min} варіантів.`, `Rank all ${min} options.`)
        : text(`Оберіть щонайменше ${min} варіант(и).`, `Choose at least ${min} options.`),
      { min, chosen: chosen.length },
    );
  }
  if (chosen.length > max) {
    return violation(
      'too_many_choices',
      question.id,
      ranking
        ? text(`Можна розташувати щонайбільше ${max} варіант(и).`, `Rank at most ${max} options.`)
        : text(`Можна обрати щонайбільше ${max} варіант(и).`, `Choose at most ${max} options.`),
      { max, chosen: chosen.length },
    );
  }
  return undefined;
}

/** How many options an answer lists: a ranking without `top` ranks them all. */
function choiceBounds(question: Extract<Question, { type: 'multiple' | 'ranking' }>): {
  min: number;
  max: number;
} {
  if (question.type === 'multiple') return { min: question.min, max: question.max };
  return question.top === undefined
    ? { min: question.options.length, max: question.options.length }
    : { min: 1, max: question.top };
}

/** What is wrong with a present answer to a visible question, if anything. */
export function answerViolation(question: Question, value: unknown): Violation | undefined {
  switch (question.type) {
    case 'single':
      if (typeof value !== 'string')
        return wrongType(question, text('ідентифікатор варіанта', 'an option id'));
      return question.options.some((option) => option.id === value)
        ? undefined
        : violation(
            'unknown_option',
            question.id,
            text(`Варіанта «${value}» у цьому питанні немає.`, `This question has no option "${value}".`),
            { optionId: value },
          );
    case 'multiple':
    case 'ranking':
      return isStringList(value)
        ? listViolation(question, value)
        : wrongType(question, text('список ідентифікаторів варіантів', 'a list of option ids'));
    case 'scale': {
      const { min, max } = SCALES[question.range];
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return wrongType(question, text('ціле число', 'a whole number'));
      }
      return value >= min && value <= max
        ? undefined
        : violation(
            'scale_out_of_range',
            question.id,
            text(`Оцінка має бути від ${min} до ${max}.`, `The rating must be from ${min} to ${max}.`),
            { min, max },
          );
    }
    case 'text': {
      if (typeof value !== 'string') return wrongType(question, text('текст', 'text'));
      const length = codePointLength(value);
      return length <= question.maxLength
        ? undefined
        : violation(
            'text_too_long',
            question.id,
            text(
              `Відповідь задовга: ${length} символів, можна щонайбільше ${question.maxLength}.`,
              `The answer is too long: ${length} characters, at most ${question.maxLength} are allowed.`,
            ),
            { maxLength: question.maxLength, length },
          );
    }
  }
}

function conditionHolds(condition: Condition, answers: Readonly<Record<string, unknown>>): boolean {
  const given = Object.hasOwn(answers, condition.questionId) ? answers[condition.questionId] : undefined;
  return Array.isArray(given) ? given.includes(condition.equals) : given === condition.equals;
}

/**
 * The questions a respondent is shown, given their answers: a question with a
 * condition is shown when the question it depends on was shown and answered
 * with the value. Conditions refer only to earlier questions, so one pass decides.
 */
export function visibleQuestions(survey: Survey, answers: Readonly<Record<string, unknown>>): Set<string> {
  const visible = new Set<string>();
  for (const question of survey.questions) {
    const { showIf } = question;
    if (!showIf || (visible.has(showIf.questionId) && conditionHolds(showIf, answers))) {
      visible.add(question.id);
    }
  }
  return visible;
}

/**
 * Everything wrong with a response, at most one violation per question, in
 * question order, then answers to questions the survey does not have. Empty
 * when the response may be stored. Pointers are `/answers/<questionId>`, with
 * the index of the offending element for list answers.
 * @example validateResponse(survey, { q1: 'bus', q2: 7 }) // → [{ code: 'scale_out_of_range', pointer: '/answers/q2', … }]
 */
export function validateResponse(survey: Survey, answers: Readonly<Record<string, unknown>>): Violation[] {
  const visible = visibleQuestions(survey, answers);
  const violations: Violation[] = [];
  for (const question of survey.questions) {
    const value = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    const absent = isAbsent(value);
    if (!visible.has(question.id)) {
      if (!absent) {
        violations.push(
          violation(
            'answer_to_hidden_question',
            question.id,
            text(
              'Це питання не показується за ваших попередніх відповідей; приберіть відповідь на нього.',
              'This question is not shown for your earlier answers; remove the answer to it.',
            ),
            { showIf: question.showIf },
          ),
        );
      }
    } else if (absent) {
      if (question.required) {
        violations.push(
          violation(
            'answer_required',
            question.id,
            text('Це питання обов’язкове.', 'This question is required.'),
          ),
        );
      }
    } else {
      const problem = answerViolation(question, value);
      if (problem) violations.push(problem);
    }
  }
  const known = new Set(survey.questions.map((question) => question.id));
  for (const questionId of Object.keys(answers)) {
    if (!known.has(questionId)) {
      violations.push(
        violation(
          'unknown_question',
          questionId,
          text('В опитуванні немає такого питання.', 'The survey has no such question.'),
        ),
      );
    }
  }
  return violations;
}

/** The answers to store from a response {@link validateResponse} accepted: present ones only, text trimmed. */
export function storedAnswers(survey: Survey, answers: Readonly<Record<string, unknown>>): SurveyAnswers {
  const stored: Record<string, Answer> = {};
  for (const question of survey.questions) {
    const value = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    if (isAbsent(value)) continue;
    stored[question.id] = typeof value === 'string' ? value.trim() : (value as Answer);
  }
  return stored;
}
