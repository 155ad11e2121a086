import { z } from 'zod';
import { freeText } from '../shared/free-text';
import { type Localized, text, validationMessage } from '../shared/localized';

/** The kinds of question a survey may ask. */
export const QuestionType = {
  single: 'single',
  multiple: 'multiple',
  scale: 'scale',
  ranking: 'ranking',
  text: 'text',
} as const;
export type QuestionType = (typeof QuestionType)[keyof typeof QuestionType];

/** The two scales a council may use; their bounds are inclusive. */
export const SCALES = {
  '1-5': { min: 1, max: 5 },
  '0-10': { min: 0, max: 10 },
} as const;

export const SURVEY_LIMITS = { maxQuestions: 100, maxOptions: 50, maxTextLength: 10_000 } as const;

/** Question and option ids appear in JSON pointers and exports, so they are plain slugs. */
const SurveyId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);

const Label = freeText({ min: 1, max: 500, multiline: false });
const LocalizedLabel = z.object({ uk: Label, en: Label }).strict();

const OptionSchema = z.object({ id: SurveyId, label: LocalizedLabel }).strict();
const Options = z.array(OptionSchema).min(2).max(SURVEY_LIMITS.maxOptions);

/**
 * Show this question only when an earlier question's answer is `equals`: an
 * option chosen (single or multiple choice) or a scale value. One condition per
 * question keeps the survey readable on paper too.
 */
const ConditionSchema = z.object({ questionId: SurveyId, equals: z.union([SurveyId, z.int()]) }).strict();

const common = {
  id: SurveyId,
  title: LocalizedLabel,
  required: z.boolean().default(false),
  showIf: ConditionSchema.optional(),
};

const SingleChoiceSchema = z
  .object({ ...common, type: z.literal(QuestionType.single), options: Options })
  .strict();
const MultipleChoiceSchema = z
  .object({
    ...common,
    type: z.literal(QuestionType.multiple),
    options: Options,
    /** Fewest options to tick when answering (0: any number, none included). */
    min: z.int().min(0).max(SURVEY_LIMITS.maxOptions).default(0),
    max: z.int().min(1).max(SURVEY_LIMITS.maxOptions),
  })
  .strict();
const ScaleSchema = z
  .object({
    ...common,
    type: z.literal(QuestionType.scale),
    range: z.enum(['1-5', '0-10']),
  })
  .strict();
/**
 * Options put in order, best first. Without `top` every option must be ranked;
 * with `top: N` a respondent ranks their favourite 1 to N and leaves the rest.
 */
const RankingSchema = z
  .object({
    ...common,
    type: z.literal(QuestionType.ranking),
    options: Options,
    top: z.int().min(1).max(SURVEY_LIMITS.maxOptions).optional(),
  })
  .strict();
const TextSchema = z
  .object({
    ...common,
    type: z.literal(QuestionType.text),
    maxLength: z.int().min(1).max(SURVEY_LIMITS.maxTextLength),
  })
  .strict();

export const QuestionSchema = z.discriminatedUnion('type', [
  SingleChoiceSchema,
  MultipleChoiceSchema,
  ScaleSchema,
  RankingSchema,
  TextSchema,
]);

export type Question = z.output<typeof QuestionSchema>;
export type Condition = z.output<typeof ConditionSchema>;

type Issue = { readonly path: (string | number)[]; readonly message: Localized };

function optionIssues(question: Question, at: number): Issue[] {
  if (!('options' in question)) return [];
  const issues: Issue[] = [];
  const ids = question.options.map((option) => option.id);
  if (new Set(ids).size !== ids.length) {
    issues.push({
      path: ['questions', at, 'options'],
      message: text('ідентифікатори варіантів мають бути унікальними', 'option ids must be unique'),
    });
  }
  const most =
    question.type === 'multiple' ? question.max : question.type === 'ranking' ? question.top : undefined;
  if (most !== undefined && most > ids.length) {
    issues.push({
      path: ['questions', at, question.type === 'multiple' ? 'max' : 'top'],
      message: text(
        `не може перевищувати кількість варіантів (${ids.length})`,
        `cannot exceed the number of options (${ids.length})`,
      ),
    });
  }
  if (question.type === 'multiple' && question.min > question.max) {
    issues.push({
      path: ['questions', at, 'min'],
      message: text(`не може перевищувати max (${question.max})`, `cannot exceed max (${question.max})`),
    });
  }
  return issues;
}

function conditionIssues(questions: readonly Question[], at: number): Issue[] {
  const condition = (questions[at] as Question).showIf;
  if (!condition) return [];
  const path = ['questions', at, 'showIf'];
  const referenced = questions.findIndex((question) => question.id === condition.questionId);
  if (referenced === -1 || referenced >= at) {
    return [
      {
        path: [...path, 'questionId'],
        message: text(
          'умова може посилатися лише на одне з попередніх питань',
          'a condition may only refer to an earlier question',
        ),
      },
    ];
  }
  const source = questions[referenced] as Question;
  if (source.type === 'scale') {
    const { min, max } = SCALES[source.range];
    return typeof condition.equals === 'number' && condition.equals >= min && condition.equals <= max
      ? []
      : [
          {
            path: [...path, 'equals'],
            message: text(`має бути числом від ${min} до ${max}`, `must be a number from ${min} to ${max}`),
          },
        ];
  }
  if (source.type === 'single' || source.type === 'multiple') {
    return source.options.some((option) => option.id === condition.equals)
      ? []
      : [
          {
            path: [...path, 'equals'],
            message: text(
              `має бути одним із варіантів питання «${source.id}»`,
              `must be one of the options of question "${source.id}"`,
            ),
          },
        ];
  }
  return [
    {
      path: [...path, 'questionId'],
      message: text(
        'умова може залежати лише від питання з вибором або шкалою',
        'a condition may only depend on a choice or scale question',
      ),
    },
  ];
}

/**
 * A survey attached to a consultation: questions in the order they are asked.
 * Besides each question's own rules, the survey checks what spans questions:
 * unique ids, option counts against `max`/`top`, and conditions that refer only
 * to earlier questions (no forward or self references, so visibility is decided
 * in one pass) and to options or values that exist.
 */
export const SurveySchema = z
  .object({ questions: z.array(QuestionSchema).min(1).max(SURVEY_LIMITS.maxQuestions) })
  .strict()
  .superRefine((survey, context) => {
    const seen = new Set<string>();
    const issues = survey.questions.flatMap((question, at) => {
      const duplicate = seen.has(question.id);
      seen.add(question.id);
      return [
        ...(duplicate
          ? [
              {
                path: ['questions', at, 'id'],
                message: text('ідентифікатори питань мають бути унікальними', 'question ids must be unique'),
              },
            ]
          : []),
        ...optionIssues(question, at),
        ...conditionIssues(survey.questions, at),
      ];
    });
    for (const issue of issues) {
      context.addIssue({ code: 'custom', path: issue.path, message: validationMessage(issue.message) });
    }
  });

export type Survey = z.output<typeof SurveySchema>;
export type SurveyInput = z.input<typeof SurveySchema>;

/** A stored, valid answer: an option id, option ids (ranking: best first), a scale value or text. */
export type Answer = string | readonly string[] | number;
export type SurveyAnswers = Readonly<Record<string, Answer>>;
