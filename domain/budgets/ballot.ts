import { text, validationMessage } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import type { ProblemCode } from '../shared/problem-codes';
import { type BallotRules, BallotType, type Pot } from './budget';
import { costOf, ON_BALLOT, type Project } from './project';

/** What a voter sends for one pot: projects (ranked for ordinal) and, for cumulative, points. */
export interface BallotChoice {
  readonly potId: string;
  readonly projectIds: readonly string[];
  /** cumulative: the points for `projectIds[i]`. */
  readonly points?: readonly number[];
}

/** One limit a ballot broke: its own code, where, and the limit. */
export interface BallotViolation {
  readonly code: ProblemCode;
  readonly pointer: string;
  readonly message: ReturnType<typeof text>;
  readonly limit?: number;
  readonly actual?: number;
}

const violation = (
  code: ProblemCode,
  pointer: string,
  uk: string,
  en: string,
  numbers: { limit?: number; actual?: number } = {},
): BallotViolation => ({ code, pointer, message: text(uk, en), ...numbers });

/** Limits every ballot type shares: known projects of this pot, each once. */
function projectViolations(
  choice: BallotChoice,
  base: string,
  candidates: ReadonlyMap<string, Project>,
): BallotViolation[] {
  const found: BallotViolation[] = [];
  const seen = new Set<string>();
  choice.projectIds.forEach((projectId, index) => {
    const project = candidates.get(projectId);
    if (!project || project.potId !== choice.potId || !ON_BALLOT.has(project.state)) {
      found.push(
        violation(
          'ballot_unknown_project',
          `${base}/projectIds/${index}`,
          `Проєкту ${projectId} немає в бюлетені цього кошика.`,
          `Project ${projectId} is not on this pot's ballot.`,
        ),
      );
    }
    if (seen.has(projectId)) {
      found.push(
        violation(
          'ballot_duplicate_project',
          `${base}/projectIds/${index}`,
          `Проєкт ${projectId} обрано двічі.`,
          `Project ${projectId} is chosen twice.`,
        ),
      );
    }
    seen.add(projectId);
  });
  return found;
}

function approvalViolations(rules: BallotRules, choice: BallotChoice, base: string): BallotViolation[] {
  const count = choice.projectIds.length;
  const min = rules.minProjects ?? 1;
  const found: BallotViolation[] = [];
  if (count < min) {
    found.push(
      violation(
        'ballot_too_few_projects',
        `${base}/projectIds`,
        `Оберіть щонайменше ${min} проєкт(и); обрано ${count}.`,
        `Choose at least ${min} project(s); ${count} chosen.`,
        { limit: min, actual: count },
      ),
    );
  }
  if (rules.maxProjects !== undefined && count > rules.maxProjects) {
    found.push(
      violation(
        'ballot_too_many_projects',
        `${base}/projectIds`,
        `Можна обрати щонайбільше ${rules.maxProjects} проєкт(и); обрано ${count}.`,
        `Choose at most ${rules.maxProjects} project(s); ${count} chosen.`,
        { limit: rules.maxProjects, actual: count },
      ),
    );
  }
  return found;
}

function knapsackViolations(
  rules: BallotRules,
  choice: BallotChoice,
  base: string,
  pot: Pot,
  candidates: ReadonlyMap<string, Project>,
): BallotViolation[] {
  const spent = choice.projectIds.reduce((sum, id) => {
    const project = candidates.get(id);
    return sum + (project ? costOf(project) : 0);
  }, 0);
  const found: BallotViolation[] = [];
  if (choice.projectIds.length === 0) {
    found.push(
      violation(
        'ballot_too_few_projects',
        `${base}/projectIds`,
        'Оберіть хоча б один проєкт.',
        'Choose at least one project.',
        {
          limit: 1,
          actual: 0,
        },
      ),
    );
  }
  if (spent > pot.amount) {
    found.push(
      violation(
        'ballot_over_budget',
        `${base}/projectIds`,
        `Обрані проєкти коштують ${spent}, а в кошику ${pot.amount} (у копійках).`,
        `The chosen projects cost ${spent}, and the pot holds ${pot.amount} (minor units).`,
        { limit: pot.amount, actual: spent },
      ),
    );
  }
  // Whole percent of a whole amount: compare spent·100 with amount·percent, exactly (in bigint:
  // amounts near 2⁵³ times 100 are past what a double holds exactly).
  const minShare = rules.minSharePercent;
  if (minShare !== undefined && BigInt(spent) * 100n < BigInt(pot.amount) * BigInt(minShare)) {
    found.push(
      violation(
        'ballot_under_min_share',
        `${base}/projectIds`,
        `Обрані проєкти мають використати щонайменше ${minShare}% кошика.`,
        `The chosen projects must use at least ${minShare}% of the pot.`,
        { limit: Math.ceil((pot.amount * minShare) / 100), actual: spent },
      ),
    );
  }
  return found;
}

function cumulativeViolations(rules: BallotRules, choice: BallotChoice, base: string): BallotViolation[] {
  const points = choice.points ?? [];
  const found: BallotViolation[] = [];
  if (points.length !== choice.projectIds.length) {
    return [
      violation(
        'ballot_points_mismatch',
        `${base}/points`,
        'Для кожного обраного проєкту потрібна одна кількість балів.',
        'Give one number of points for each chosen project.',
        { limit: choice.projectIds.length, actual: points.length },
      ),
    ];
  }
  points.forEach((value, index) => {
    if (!Number.isInteger(value) || value < 1) {
      found.push(
        violation(
          'ballot_invalid_points',
          `${base}/points/${index}`,
          'Бали — ціле число від 1.',
          'Points are a whole number of at least 1.',
          { actual: value },
        ),
      );
    } else if (rules.maxPerProject !== undefined && value > rules.maxPerProject) {
      found.push(
        violation(
          'ballot_too_many_points_for_project',
          `${base}/points/${index}`,
          `Одному проєкту можна дати щонайбільше ${rules.maxPerProject} бал(и).`,
          `One project can get at most ${rules.maxPerProject} point(s).`,
          { limit: rules.maxPerProject, actual: value },
        ),
      );
    }
  });
  const total = points.reduce((sum, value) => sum + value, 0);
  if (rules.maxPoints !== undefined && total > rules.maxPoints) {
    found.push(
      violation(
        'ballot_too_many_points',
        `${base}/points`,
        `Усього можна розподілити щонайбільше ${rules.maxPoints} бал(и); розподілено ${total}.`,
        `At most ${rules.maxPoints} point(s) in all; ${total} given.`,
        { limit: rules.maxPoints, actual: total },
      ),
    );
  }
  if (choice.projectIds.length === 0) {
    found.push(
      violation(
        'ballot_too_few_projects',
        `${base}/projectIds`,
        'Оберіть хоча б один проєкт.',
        'Choose at least one project.',
        {
          limit: 1,
          actual: 0,
        },
      ),
    );
  }
  return found;
}

function ordinalViolations(rules: BallotRules, choice: BallotChoice, base: string): BallotViolation[] {
  const count = choice.projectIds.length;
  const found: BallotViolation[] = [];
  if (count === 0) {
    found.push(
      violation(
        'ballot_too_few_projects',
        `${base}/projectIds`,
        'Упорядкуйте хоча б один проєкт.',
        'Rank at least one project.',
        {
          limit: 1,
          actual: 0,
        },
      ),
    );
  }
  if (rules.maxRanked !== undefined && count > rules.maxRanked) {
    found.push(
      violation(
        'ballot_too_many_ranked',
        `${base}/projectIds`,
        `Можна впорядкувати щонайбільше ${rules.maxRanked} проєкт(и); впорядковано ${count}.`,
        `Rank at most ${rules.maxRanked} project(s); ${count} ranked.`,
        { limit: rules.maxRanked, actual: count },
      ),
    );
  }
  return found;
}

/**
 * Every limit a ballot for one pot breaks, each with its own code and a JSON
 * pointer (`base` is where the choice sits in the request). Empty when valid.
 * Costs are the council's final costs: what the voter sees on the ballot.
 */
export function ballotViolations(
  rules: BallotRules,
  choice: BallotChoice,
  pot: Pot,
  candidates: ReadonlyMap<string, Project>,
  base: string,
): BallotViolation[] {
  const typeRules: Record<BallotType, () => BallotViolation[]> = {
    approval: () => approvalViolations(rules, choice, base),
    knapsack: () => knapsackViolations(rules, choice, base, pot, candidates),
    cumulative: () => cumulativeViolations(rules, choice, base),
    ordinal: () => ordinalViolations(rules, choice, base),
  };
  if (rules.type !== BallotType.cumulative && choice.points !== undefined) {
    return [
      violation(
        'ballot_points_not_allowed',
        `${base}/points`,
        'Бали дають лише в кумулятивному голосуванні.',
        'Points belong to cumulative ballots only.',
      ),
    ];
  }
  return [...projectViolations(choice, base, candidates), ...typeRules[rules.type]()];
}

/** The first violation as the command's rejection (422), with every violation listed. */
export function ballotRejection(violations: readonly BallotViolation[]): DomainError | undefined {
  const first = violations[0];
  if (!first) return undefined;
  return {
    code: first.code,
    message: first.message,
    details: {
      ...(first.limit !== undefined ? { limit: first.limit } : {}),
      ...(first.actual !== undefined ? { actual: first.actual } : {}),
      errors: violations.map((each) => ({ pointer: each.pointer, detail: validationMessage(each.message) })),
    },
  };
}
