import { z } from 'zod';
import { STANCES, type Stance, VoteValue } from '../../domain/consultations/comment';
import { CONSULTATION_PHASES, type ConsultationPhase } from '../../domain/consultations/consultation';
import { COMMENT_ORDERS, type CommentOrder } from '../../domain/consultations/ranking';
import { REPORT_DECISIONS, type ReportDecision } from '../../domain/consultations/report';
import { SurveySchema } from '../../domain/consultations/survey';
import { freeText, refuseFaultsWithin } from '../../domain/shared/free-text';
import { text, validationMessage } from '../../domain/shared/localized';
import { CommunityIdSchema } from '../communities/schemas';
import { PageQuerySchema } from '../shared/pagination';

/** Request and response shapes of the consultations tool; the views are built in `views.ts`. */

const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);
/** A block of the draft: a generated id (a ULID) or an author's `{#id}`. */
const BlockId = z.string().regex(/^(?:[0-9A-HJKMNP-TV-Z]{26}|[a-z0-9][a-z0-9_-]{0,63})$/);
const enumOf = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]]);

export const ConsultationsPathSchema = z.object({ communityId: CommunityIdSchema });
export const ConsultationPathSchema = z.object({ communityId: CommunityIdSchema, consultationId: Ulid });
export const VersionPathSchema = ConsultationPathSchema.extend({ version: z.coerce.number().int().min(1) });
export const CommentPathSchema = ConsultationPathSchema.extend({ commentId: Ulid });

const Instant = z.iso.datetime({ offset: true });

/** The Markdown's own limits (200 KB, sections, paragraphs) are the domain's, answered with their own codes. */
const Markdown = freeText({ min: 1, max: 250_000, multiline: true, trim: false });

export const CreateConsultationBodySchema = z
  .object({
    title: freeText({ min: 5, max: 200, multiline: false }),
    summary: freeText({ min: 1, max: 5_000, multiline: true }),
    ownerDepartment: freeText({ min: 1, max: 200, multiline: false }),
    opensAt: Instant,
    closesAt: Instant,
    markdown: Markdown,
    survey: SurveySchema.optional(),
  })
  .strict();

export const RevisionBodySchema = z.object({ markdown: Markdown }).strict();

export const PhaseBodySchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('open'), closesAt: Instant.optional() }).strict(),
  z.object({ phase: z.literal('closed') }).strict(),
]);

export const ListConsultationsQuerySchema = PageQuerySchema.extend({
  phase: enumOf<ConsultationPhase>(CONSULTATION_PHASES).default('open'),
});

export const CommentsQuerySchema = PageQuerySchema.extend({
  /** A section's id, or `whole` for comments on the whole consultation; absent: every comment. */
  section: z.union([z.literal('whole'), BlockId]).optional(),
  sort: enumOf<CommentOrder>(COMMENT_ORDERS).default('newest'),
});

const Target = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('whole') }).strict(),
  z.object({ kind: z.enum(['section', 'paragraph']), id: BlockId }).strict(),
]);

/** The domain counts the 1–5,000 characters (code points, trimmed); this only bounds the request. */
const CommentText = freeText({ max: 20_000, multiline: true, trim: false });

export const PostCommentBodySchema = z
  .object({
    stance: enumOf<Stance>(STANCES),
    text: CommentText,
    /** What the comment is about; the whole consultation when absent. Not with `replyTo`. */
    target: Target.optional(),
    /** The comment this one answers; a reply is about what its parent is about. */
    replyTo: Ulid.optional(),
  })
  .strict()
  .refine((body) => !(body.target && body.replyTo), {
    path: ['replyTo'],
    error: validationMessage(
      text(
        'Відповідь стосується того ж, що й коментар, на який вона відповідає: не вказуйте target разом із replyTo.',
        'A reply is about what its parent is about: do not give target together with replyTo.',
      ),
    ),
  });

export const EditCommentBodySchema = z.object({ text: CommentText }).strict();

export const VoteBodySchema = z.object({ value: z.enum([VoteValue.up, VoteValue.down]) }).strict();

/**
 * Answers are checked against the survey by the domain, each kind of mistake with its own code;
 * what no answer may hold (control or direction-override characters, unpaired surrogates) is refused here.
 */
export const SurveyResponseBodySchema = z
  .object({
    answers: z.record(z.string(), z.unknown()).superRefine((answers, context) => {
      for (const [questionId, answer] of Object.entries(answers))
        refuseFaultsWithin(answer, context, [questionId]);
    }),
  })
  .strict();

const Localized = z.object({ uk: z.string(), en: z.string() });
/**
 * One text for both languages, or one per language. Forbidden characters are looked for once the union has
 * picked the shape, so the field's detail names the character (a failing union only says "invalid input").
 */
const ReportText = z
  .union([
    z.string().max(20_000),
    z.object({ uk: z.string().max(20_000), en: z.string().max(20_000) }).strict(),
  ])
  .superRefine((value, context) => refuseFaultsWithin(value, context, []));

export const ReportBodySchema = z
  .object({
    summary: ReportText.optional(),
    sections: z
      .array(
        z
          .object({
            sectionId: BlockId,
            summary: ReportText,
            decision: enumOf<ReportDecision>(REPORT_DECISIONS),
            reasons: ReportText.optional(),
            commentIds: z.array(Ulid).max(10_000).optional(),
          })
          .strict(),
      )
      .max(500),
  })
  .strict();

export const ExportQuerySchema = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  /** For CSV, which table: one CSV holds one. JSON holds them all. */
  dataset: z.enum(['comments', 'survey-results', 'survey-answers']).default('comments'),
  /** The next page's cursor, from the previous page's `Link` (or JSON `next`). */
  cursor: z.string().min(1).max(2048).optional(),
});

// ---- responses ----------------------------------------------------------------------------------

const StanceCounts = z.object({ for: z.int(), against: z.int(), neutral: z.int() });
const CommentCountsSchema = z.object({ total: z.int(), byStance: StanceCounts });

export const CountsSchema = z
  .object({
    all: CommentCountsSchema,
    whole: CommentCountsSchema,
    bySection: z.record(z.string(), CommentCountsSchema),
  })
  .meta({ id: 'ConsultationCommentCounts' });

const TargetView = z.object({ kind: z.enum(['whole', 'section', 'paragraph']), id: z.string().optional() });

export const ConsultationSummarySchema = z
  .object({
    id: z.string(),
    communityId: z.string(),
    title: z.string(),
    summary: z.string(),
    ownerDepartment: z.string(),
    opensAt: z.string(),
    closesAt: z.string(),
    phase: enumOf<ConsultationPhase>(CONSULTATION_PHASES),
    /** True while comments, votes and answers are taken (open and before `closesAt`). */
    acceptsInput: z.boolean(),
    currentVersion: z.int(),
    hasSurvey: z.boolean(),
    createdAt: z.string(),
    openedAt: z.string().optional(),
    closedAt: z.string().optional(),
    reportPublishedAt: z.string().optional(),
    revision: z.int(),
  })
  .meta({ id: 'ConsultationSummary' });

export const DraftViewSchema = z
  .object({
    version: z.int(),
    blocks: z.array(
      z.object({
        kind: z.enum(['section', 'paragraph']),
        id: z.string(),
        parentId: z.string().nullable(),
        level: z.int().optional(),
        heading: z.string().optional(),
        /** Markdown of a paragraph. */
        text: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'ConsultationDraft' });

export const ConsultationViewSchema = ConsultationSummarySchema.extend({
  versions: z.array(
    z.object({
      version: z.int(),
      publishedAt: z.string(),
      sections: z.int(),
      paragraphs: z.int(),
    }),
  ),
  draft: DraftViewSchema,
  survey: SurveySchema.optional(),
  counts: CountsSchema,
}).meta({ id: 'Consultation' });

export const ConsultationListSchema = z.object({
  items: z.array(ConsultationSummarySchema),
  cursor: z.string().optional(),
});

export const CommentViewSchema = z
  .object({
    id: z.string(),
    consultationId: z.string(),
    /** What it was posted on, in `draftVersion`. */
    target: TargetView,
    /** Where it attaches in the current version: the same block, or its nearest surviving ancestor. */
    attachedTo: TargetView,
    /** The section it is listed and counted under now; null for the whole consultation. */
    sectionId: z.string().nullable(),
    draftVersion: z.int(),
    parentCommentId: z.string().optional(),
    threadId: z.string(),
    depth: z.int(),
    stance: enumOf<Stance>(STANCES),
    /** Null unless published (waiting, hidden, rejected and deleted comments keep their place only). */
    text: z.string().nullable(),
    state: z.enum(['pending', 'visible', 'hidden', 'rejected', 'deleted']),
    votes: z.object({ up: z.int(), down: z.int() }),
    createdAt: z.string(),
    editedAt: z.string().optional(),
    deletedAt: z.string().optional(),
    moderation: z
      .object({
        decision: z.string(),
        reasonCode: z.string().optional(),
        reason: Localized.optional(),
        decidedAt: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'ConsultationComment' });

export const CommentThreadSchema = CommentViewSchema.extend({ replies: z.array(CommentViewSchema) });

export const CommentListSchema = z.object({
  items: z.array(CommentThreadSchema),
  cursor: z.string().optional(),
});

export const VoteResultSchema = z.object({
  value: z.enum([VoteValue.up, VoteValue.down]).nullable(),
  /** `cast` (a first vote), `changed`, `unchanged` (the same again: not counted twice), `withdrawn`, `none`. */
  outcome: z.enum(['cast', 'changed', 'unchanged', 'withdrawn', 'none']),
  votedAt: z.string().optional(),
});

export const MyVoteSchema = z.object({
  value: z.enum([VoteValue.up, VoteValue.down]).nullable(),
  votedAt: z.string().optional(),
});

export const SurveyResponseViewSchema = z.object({
  answers: z.record(z.string(), z.unknown()),
  submittedAt: z.string(),
  districtId: z.string().optional(),
});

const Mean = z.object({ sum: z.int(), count: z.int(), rounded: z.string().nullable() });
const QuestionResultSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['single', 'multiple']),
    answered: z.int(),
    counts: z.record(z.string(), z.int()),
  }),
  z.object({
    type: z.literal('scale'),
    answered: z.int(),
    distribution: z.record(z.string(), z.int()),
    mean: Mean,
  }),
  z.object({
    type: z.literal('ranking'),
    answered: z.int(),
    borda: z.record(z.string(), z.int()),
    order: z.array(z.string()),
  }),
  /** Free-text answers are in the council's export only. */
  z.object({ type: z.literal('text'), answered: z.int() }),
]);
const TallySchema = z.object({ respondents: z.int(), questions: z.record(z.string(), QuestionResultSchema) });

export const SurveyResultsSchema = TallySchema.extend({ byDistrict: z.record(z.string(), TallySchema) }).meta(
  {
    id: 'ConsultationSurveyResults',
  },
);

export const ReportViewSchema = z
  .object({
    consultationId: z.string(),
    draftVersion: z.int(),
    summary: ReportText.optional(),
    sections: z.array(
      z.object({
        sectionId: z.string(),
        heading: z.string().nullable(),
        summary: ReportText,
        decision: enumOf<ReportDecision>(REPORT_DECISIONS),
        reasons: ReportText.optional(),
        commentIds: z.array(z.string()),
      }),
    ),
    publishedAt: z.string(),
  })
  .meta({ id: 'ConsultationReport' });
