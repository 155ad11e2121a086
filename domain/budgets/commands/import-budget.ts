import { createHash } from 'node:crypto';
import { BudgetEvents } from '../../../events/budgets';
import { AuditAction } from '../../audit/intent';
import type { Community } from '../../communities/community';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { audited, fail, reject, type StaffOutcome } from '../../shared/outcome';
import { budgetAudit } from '../audit';
import {
  type BallotRules,
  BallotType,
  type Budget,
  BudgetPhase,
  CITY_POT,
  DEFAULT_MAX_PROJECTS,
  MAX_PROJECTS_LIMIT,
} from '../budget';
import { budgetEvent } from '../events';
import { type PabulibInstance, VoteType } from '../pabulib/instance';
import { mayManageBudget } from '../permissions';
import type { Project } from '../project';
import { ProjectState } from '../project';
import { BudgetRule, DEFAULT_COMPLETION } from '../rules/results';
import type { Ballot } from './cast-ballot';
import { DEFAULT_MINIMUM_AGE } from './create-budget';

export interface ImportedBudget {
  readonly budget: Budget;
  readonly projects: readonly Project[];
  readonly ballots: readonly Ballot[];
}

/** The META rows that carry ballot limits: whole numbers when present. */
const LIMIT_KEYS = ['min_length', 'max_length', 'max_sum_points', 'max_points'] as const;

/** A META limit as a number; undefined when the file has none. */
const limit = (meta: ReadonlyMap<string, string>, key: (typeof LIMIT_KEYS)[number]): number | undefined =>
  meta.has(key) ? Number(meta.get(key)) : undefined;

/** The first META limit that is not a whole number the budget can keep, if any. */
const badLimit = (meta: ReadonlyMap<string, string>): string | undefined =>
  LIMIT_KEYS.find((key) => meta.has(key) && !/^[0-9]{1,9}$/.test((meta.get(key) ?? '').trim()));

const BALLOT_OF: Partial<Record<VoteType, (meta: ReadonlyMap<string, string>) => BallotRules>> = {
  approval: (meta) => {
    const [min, max] = [limit(meta, 'min_length'), limit(meta, 'max_length')];
    return {
      type: BallotType.approval,
      ...(min ? { minProjects: min } : {}),
      ...(max ? { maxProjects: max } : {}),
    };
  },
  cumulative: (meta) => {
    const perProject = limit(meta, 'max_points');
    return {
      type: BallotType.cumulative,
      maxPoints: limit(meta, 'max_sum_points') || Number.MAX_SAFE_INTEGER,
      ...(perProject ? { maxPerProject: perProject } : {}),
    };
  },
  ordinal: (meta) => ({ type: BallotType.ordinal, maxRanked: limit(meta, 'max_length') || 1000 }),
};

/** The rule the file says the city used, when it is one of ours; greedy otherwise. */
function ruleOf(meta: ReadonlyMap<string, string>): BudgetRule {
  return (meta.get('rule') ?? '').startsWith('equalshares') ? BudgetRule.equalShares : BudgetRule.greedy;
}

/**
 * A finished election from a pabulib file, as a budget ready for results:
 * phase `tallying`, one city-wide pot of the file's budget, its projects
 * feasible at their cost (their file ids kept as `externalId`), its ballots
 * as they are (voters keyed by a hash of the budget and the file's voter id).
 * Amounts are taken as they are: the file's unit is the budget's minor unit.
 *
 * Outcomes: ok (emits `budget.created.v1`, audited); `forbidden` (not council);
 * `invalid_pabulib` (a ballot limit in META that is not a whole number);
 * `unsupported_vote_type` (scoring ballots); `amount_too_large` (beyond
 * what JSON carries exactly); `rule_needs_approval_ballots` (equal shares with ranked ballots);
 * `project_limit_reached` (more than {@link MAX_PROJECTS_LIMIT} projects:
 * the results job and the export hold every project at once).
 */
export function importBudget(
  context: CommandContext,
  community: Community,
  instance: PabulibInstance,
  options: { readonly rule?: BudgetRule; readonly name?: string },
): StaffOutcome<ImportedBudget> {
  const { actor, clock, ids } = context;
  if (!mayManageBudget(actor)) return reject(forbidden('council'));
  const ballotOf = BALLOT_OF[instance.voteType];
  if (!ballotOf) {
    return fail(
      'unsupported_vote_type',
      text(
        `Бюлетені типу ${instance.voteType} не підтримуються: approval, cumulative або ordinal.`,
        `Ballots of type ${instance.voteType} are not supported: approval, cumulative or ordinal.`,
      ),
      { voteType: instance.voteType },
    );
  }
  if (instance.projects.length > MAX_PROJECTS_LIMIT) {
    return fail(
      'project_limit_reached',
      text(
        `У файлі ${instance.projects.length} проєктів; бюджет бере щонайбільше ${MAX_PROJECTS_LIMIT}.`,
        `The file has ${instance.projects.length} projects; a budget takes at most ${MAX_PROJECTS_LIMIT}.`,
      ),
      { limit: MAX_PROJECTS_LIMIT },
    );
  }
  const unreadable = badLimit(instance.meta);
  if (unreadable) {
    return fail(
      'invalid_pabulib',
      text(
        `META ${unreadable} має бути цілим числом, а тут «${instance.meta.get(unreadable)}».`,
        `META ${unreadable} must be a whole number, and it is "${instance.meta.get(unreadable)}".`,
      ),
      { key: unreadable },
    );
  }
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  if (instance.budget > safe || instance.projects.some((project) => project.cost > safe)) {
    return fail('amount_too_large', text('Суми завеликі.', 'The amounts are too large.'), {
      limit: Number.MAX_SAFE_INTEGER,
    });
  }
  const rule = options.rule ?? ruleOf(instance.meta);
  // Equal shares counts approval sets and cumulative points; ranked ballots give it no utilities.
  if (rule === BudgetRule.equalShares && instance.voteType === VoteType.ordinal) {
    return fail(
      'rule_needs_approval_ballots',
      text(
        'Метод рівних часток рахує бюлетені approval або cumulative; для ранжованих (ordinal) оберіть greedy.',
        'Equal shares counts approval or cumulative ballots; choose greedy for ranked (ordinal) ones.',
      ),
      { voteType: instance.voteType },
    );
  }
  const now = clock.now().toISOString();
  const budgetId = ids.next();
  const name =
    options.name ?? instance.meta.get('description') ?? instance.meta.get('instance') ?? 'Imported budget';
  const budget: Budget = {
    id: budgetId,
    communityId: community.id,
    names: { uk: name, en: name },
    currency: instance.meta.get('currency') ?? 'UAH',
    totalAmount: Number(instance.budget),
    pots: [{ id: CITY_POT, amount: Number(instance.budget) }],
    ballot: ballotOf(instance.meta),
    rule,
    completion: DEFAULT_COMPLETION[rule],
    minimumAge: DEFAULT_MINIMUM_AGE,
    maxProjects: Math.max(DEFAULT_MAX_PROJECTS, instance.projects.length),
    phase: BudgetPhase.tallying,
    schedule: {},
    votingClosedAt: now,
    imported: true,
    createdAt: now,
    createdBy: actor.subject,
    version: 1,
  };
  const idOf = new Map<string, string>();
  const projects: Project[] = instance.projects.map((source) => {
    const project: Project = {
      id: ids.next(),
      budgetId,
      communityId: community.id,
      title: source.fields.name || source.id,
      description: source.fields.description ?? '',
      costEstimate: Number(source.cost),
      finalCost: Number(source.cost),
      potId: CITY_POT,
      ...(source.fields.category ? { category: source.fields.category.slice(0, 63) } : {}),
      authorKey: 'imported',
      state: ProjectState.feasible,
      progress: [],
      externalId: source.id,
      createdAt: now,
      version: 1,
    };
    idOf.set(source.id, project.id);
    return project;
  });
  const castAt = new Date(Date.parse(now) - 1).toISOString();
  const ballots: Ballot[] = instance.ballots.map((source) => ({
    communityId: community.id,
    budgetId,
    potId: CITY_POT,
    voterKey: createHash('sha256').update(`${budgetId}\n${source.voterId}`).digest('hex'),
    projectIds: source.projectIds.map((id) => idOf.get(id) ?? id),
    ...(source.points ? { points: source.points.map(Number) } : {}),
    castAt,
  }));
  const events = [
    budgetEvent(ids, clock.now(), budget, BudgetEvents.created, {
      totalAmount: budget.totalAmount,
      currency: budget.currency,
      imported: true,
    }),
  ];
  return audited(
    { budget, projects, ballots },
    events,
    budgetAudit(context, AuditAction.budgetImport, budget, {
      after: {
        projects: projects.length,
        ballots: ballots.length,
        budget: budget.totalAmount,
        rule: budget.rule,
      },
    }),
  );
}
