import { z } from 'zod';
import {
  BALLOT_TYPES,
  BUDGET_PHASES,
  type Budget,
  BudgetPhase,
  MAX_PROJECTS_LIMIT,
  maxProjectsOf,
} from '../../domain/budgets/budget';
import type { Ballot } from '../../domain/budgets/commands/cast-ballot';
import { PROJECT_STATES, type Project } from '../../domain/budgets/project';
import { RESULTS_FAILURE_CODES } from '../../domain/budgets/results-failure';
import { BUDGET_RULES, COMPLETIONS } from '../../domain/budgets/rules/results';
import { itemIdOf, ModerationType } from '../../domain/moderation/item';
import { cleanText, freeText } from '../../domain/shared/free-text';
import { CommunityIdSchema } from '../communities/schemas';
import { authorDecisionView } from '../moderation/schemas';
import { PageQuerySchema } from '../shared/pagination';
import { projectSubjectId } from './snapshot';

const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
/** Money in minor units (kopiykas): whole, and exact in JSON. */
const Money = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const Name = freeText({ min: 1, max: 200, multiline: false });
const Localized = z.object({ uk: Name, en: Name }).strict();
/** An instant, normalised to UTC milliseconds: the stored dates are compared as strings. */
const Instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const BudgetsPathSchema = z.object({ communityId: CommunityIdSchema });
export const BudgetPathSchema = z.object({ communityId: CommunityIdSchema, budgetId: Ulid });
export const ProjectPathSchema = BudgetPathSchema.extend({ projectId: Ulid });

const Count = z.int().min(0).max(1000);

export const BallotRulesSchema = z
  .object({
    type: z.enum(BALLOT_TYPES),
    minProjects: Count.min(1).optional(),
    maxProjects: Count.min(1).optional(),
    minSharePercent: z.int().min(0).max(100).optional(),
    maxPoints: z.int().min(1).max(1_000_000).optional(),
    maxPerProject: z.int().min(1).max(1_000_000).optional(),
    maxRanked: Count.min(1).optional(),
  })
  .strict();

export const CreateBudgetBodySchema = z
  .object({
    names: Localized,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('UAH'),
    totalAmount: Money.min(1),
    districts: z
      .array(z.object({ districtId: Slug, amount: Money.min(1) }).strict())
      .max(100)
      .optional(),
    ballot: BallotRulesSchema,
    rule: z.enum(BUDGET_RULES),
    completion: z.enum(COMPLETIONS).optional(),
    minimumAge: z.int().min(0).max(120).optional(),
    /** Submissions the budget takes, every state counted; 500 by default. */
    maxProjects: z.int().min(1).max(MAX_PROJECTS_LIMIT).optional(),
    schedule: z
      .object({
        reviewStartsAt: Instant.optional(),
        votingStartsAt: Instant.optional(),
        votingEndsAt: Instant.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const PhaseBodySchema = z.object({ phase: z.enum(BUDGET_PHASES) }).strict();

export const SubmitProjectBodySchema = z
  .object({
    title: freeText({ min: 5, max: 200, multiline: false }),
    description: freeText({ min: 1, max: 10_000, multiline: true }),
    costEstimate: Money.min(1),
    districtId: Slug.optional(),
    category: Slug.optional(),
    location: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
      .strict()
      .optional(),
  })
  .strict();

export const ReviewBodySchema = z.discriminatedUnion('outcome', [
  z
    .object({
      outcome: z.literal('feasible'),
      finalCost: Money.min(1),
      reason: freeText({ max: 2000, multiline: true }).optional(),
    })
    .strict(),
  z
    .object({ outcome: z.literal('unfeasible'), reason: freeText({ min: 1, max: 2000, multiline: true }) })
    .strict(),
]);

export const ProgressBodySchema = z
  .object({
    state: z.enum(['in_progress', 'done', 'cancelled']).optional(),
    note: freeText({ min: 1, max: 2000, multiline: true }).optional(),
  })
  .strict()
  .refine((body) => body.state !== undefined || body.note !== undefined, {
    error: 'give a state, a note, or both',
  });

export const BallotBodySchema = z
  .object({
    ballots: z
      .array(
        z
          .object({
            potId: z.string().min(1).max(64),
            projectIds: z.array(z.string().min(1).max(64)).max(200),
            points: z.array(z.number()).max(200).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(2),
  })
  .strict();

/**
 * Project lists page like every list, but 100 to a page by default (not 25):
 * a ballot shows a pot's projects together, and most budgets have fewer.
 */
export const PROJECT_PAGE_DEFAULT = 100;

export const ProjectPageQuerySchema = PageQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(PROJECT_PAGE_DEFAULT),
});

export const ListProjectsQuerySchema = ProjectPageQuerySchema.extend({
  pot: z.string().min(1).max(64).optional(),
  state: z.enum(PROJECT_STATES).optional(),
});

export const ListBudgetsQuerySchema = PageQuerySchema;

export const ExportQuerySchema = z.object({
  format: z.enum(['pabulib', 'pabulib-input', 'csv', 'json']).default('json'),
  pot: z.string().min(1).max(64).optional(),
  /** The next page's cursor, from the previous page's `Link` (or JSON `next`). */
  cursor: z.string().min(1).max(8192).optional(),
});

/** A pabulib `.pb` file, as text. */
export const ImportBodySchema = cleanText({ multiline: true }).min(1);

export const ImportQuerySchema = z.object({
  rule: z.enum(BUDGET_RULES).optional(),
  names: freeText({ min: 1, max: 200, multiline: false, trim: false }).optional(),
});

const PotSchema = z.object({ id: z.string(), amount: z.int() });

export const BudgetViewSchema = z
  .object({
    id: z.string(),
    communityId: z.string(),
    names: z.object({ uk: z.string(), en: z.string() }),
    currency: z.string(),
    totalAmount: z.int(),
    pots: z.array(PotSchema),
    ballot: BallotRulesSchema,
    rule: z.string(),
    completion: z.string(),
    minimumAge: z.int(),
    maxProjects: z.int(),
    phase: z.enum(BUDGET_PHASES),
    schedule: z.record(z.string(), z.string()),
    votingClosedAt: z.string().optional(),
    results: z
      .object({
        jobId: z.string(),
        status: z.string(),
        requestedAt: z.string(),
        computedAt: z.string().optional(),
        errorCode: z.enum(RESULTS_FAILURE_CODES).optional(),
        errorDetail: z.string().optional(),
        error: z.string().optional(),
      })
      .optional(),
    imported: z.boolean(),
    createdAt: z.string(),
    version: z.int(),
  })
  .meta({ id: 'Budget' });

export const BudgetListSchema = z.object({ items: z.array(BudgetViewSchema), cursor: z.string().optional() });

export const ProjectViewSchema = z
  .object({
    id: z.string(),
    budgetId: z.string(),
    title: z.string(),
    description: z.string(),
    costEstimate: z.int(),
    finalCost: z.int().optional(),
    potId: z.string(),
    category: z.string().optional(),
    location: z.object({ lat: z.number(), lng: z.number() }).optional(),
    state: z.enum(PROJECT_STATES),
    review: z.object({ reason: z.string().optional(), reviewedAt: z.string() }).optional(),
    moderation: z
      .object({
        decision: z.string(),
        reasonCode: z.string().optional(),
        reason: z.object({ uk: z.string(), en: z.string() }).optional(),
        decidedAt: z.string(),
      })
      .optional(),
    progress: z.array(z.object({ at: z.string(), note: z.string() })),
    cancelReason: z.string().optional(),
    externalId: z.string().optional(),
    /** The moderation item id, for reports: `budget-project.<budgetId>_<projectId>`. */
    moderationItemId: z.string(),
    createdAt: z.string(),
    version: z.int(),
  })
  .meta({ id: 'BudgetProject' });

export const ProjectListSchema = z.object({
  items: z.array(ProjectViewSchema),
  /** The next page's `?cursor=`; absent on the last page. */
  cursor: z.string().optional(),
});

export const MyBallotsSchema = z.object({
  ballots: z.array(
    z.object({
      potId: z.string(),
      projectIds: z.array(z.string()),
      points: z.array(z.number()).optional(),
      castAt: z.string(),
    }),
  ),
  /** The pots the caller may vote in. */
  pots: z.array(z.string()),
});

export const JobSchema = z.object({ jobId: z.string(), status: z.string(), requestedAt: z.string() });

const PotResultSchema = z.object({
  potId: z.string(),
  rule: z.string(),
  version: z.string(),
  inputSha256: z.string(),
  add1: z
    .object({ step: z.string(), increment: z.string() })
    .optional()
    .describe(
      "Equal shares with add1: how much each voter's share grew from one budget tried to the next (`step`) and in all (`increment`), in kopiykas per voter; absent for greedy and equal shares alone",
    ),
  budget: z.string(),
  spent: z.string(),
  left: z.string(),
  ballots: z.int(),
  selected: z.array(z.string()),
  projects: z.array(z.object({ id: z.string(), cost: z.string(), score: z.string(), selected: z.boolean() })),
});

export const ResultsViewSchema = z
  .object({
    status: z.string(),
    phase: z.enum(BUDGET_PHASES),
    computedAt: z.string().optional(),
    errorCode: z
      .enum(RESULTS_FAILURE_CODES)
      .optional()
      .describe(
        'Why the job failed: `results_out_of_time` (it ran past its time limit or was cut off), `results_job_failed` (an unexpected error), `results_input_refused` (the rule or the pabulib writer refused the input)',
      ),
    error: z.string().optional().describe("Why the job failed, in the request's language (Accept-Language)"),
    pots: z.array(PotResultSchema),
  })
  .meta({ id: 'BudgetResults' });

export const budgetView = (budget: Budget) => {
  const { createdBy: _createdBy, ...view } = budget;
  return { ...view, maxProjects: maxProjectsOf(budget) };
};

/** A project as the public sees it; the author's key never leaves. */
export function projectView(project: Project) {
  const { authorKey: _author, communityId: _community, review, moderation, progress, ...rest } = project;
  return {
    ...rest,
    ...(review
      ? { review: { ...(review.reason ? { reason: review.reason } : {}), reviewedAt: review.reviewedAt } }
      : {}),
    ...(moderation ? { moderation: authorDecisionView(moderation) } : {}),
    progress: progress.map(({ at, note }) => ({ at, note })),
    moderationItemId: itemIdOf(ModerationType.budgetProject, projectSubjectId(project)),
  };
}

export const ballotView = (ballot: Ballot) => ({
  potId: ballot.potId,
  projectIds: [...ballot.projectIds],
  ...(ballot.points ? { points: [...ballot.points] } : {}),
  castAt: ballot.castAt,
});

/** Results are public once published; before that, only the council sees them. */
export const RESULTS_PUBLIC = new Set<string>([BudgetPhase.published, BudgetPhase.implementation]);
