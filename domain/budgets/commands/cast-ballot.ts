import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type BallotChoice, ballotRejection, ballotViolations } from '../ballot';
import { type Budget, BudgetPhase, potsOf } from '../budget';
import { voterIneligibility } from '../eligibility';
import { wrongPhase } from '../permissions';
import type { Project } from '../project';

/** One pot's ballot as it is stored: the voter's key, the choice and when. Nothing else about the voter. */
export interface Ballot {
  readonly communityId: string;
  readonly budgetId: string;
  readonly potId: string;
  readonly voterKey: string;
  readonly projectIds: readonly string[];
  readonly points?: readonly number[];
  readonly castAt: string;
}

/**
 * An eligible resident votes, or changes their vote, while voting is open:
 * one ballot per pot they may vote in (the city-wide pot, and their district's
 * if it has one). Each pot's ballot is checked against every limit of the
 * budget's ballot type; the first broken limit names the 422, and all are
 * listed with JSON pointers.
 *
 * Outcomes: ok (the ballots to write, one conditional write each); `not_eligible`
 * (also `not_in_district` for another district's pot); `wrong_phase` (not
 * `voting`); `ballot_*` (one code per limit: `ballot_too_few_projects`,
 * `ballot_too_many_projects`, `ballot_over_budget`, `ballot_under_min_share`,
 * `ballot_too_many_points`, `ballot_too_many_points_for_project`,
 * `ballot_invalid_points`, `ballot_points_mismatch`, `ballot_points_not_allowed`,
 * `ballot_too_many_ranked`, `ballot_unknown_project`, `ballot_duplicate_project`).
 */
export function castBallot(
  context: CommandContext,
  budget: Budget,
  candidates: ReadonlyMap<string, Project>,
  choices: readonly BallotChoice[],
): Outcome<Ballot[]> {
  const { actor, clock } = context;
  const now = clock.now();
  const refusal = voterIneligibility(actor, budget, now);
  if (refusal) return reject(refusal);
  if (budget.phase !== BudgetPhase.voting || budget.imported) {
    return reject(wrongPhase(budget, [BudgetPhase.voting]));
  }
  const allowed = potsOf(budget, actor.residency?.districtId);
  for (const [index, choice] of choices.entries()) {
    if (!allowed.some((pot) => pot.id === choice.potId)) {
      return fail(
        'not_eligible',
        text(
          'Ви можете голосувати лише в загальноміському кошику та в кошику свого округу.',
          "You may vote in the city-wide pot and in your own district's pot only.",
        ),
        {
          reason: 'not_in_district',
          pots: allowed.map((pot) => pot.id),
          errors: [{ pointer: `/body/ballots/${index}/potId`, detail: choice.potId }],
        },
      );
    }
  }
  const violations = choices.flatMap((choice, index) =>
    ballotViolations(
      budget.ballot,
      choice,
      allowed.find((pot) => pot.id === choice.potId) as (typeof allowed)[number],
      candidates,
      `/body/ballots/${index}`,
    ),
  );
  const rejection = ballotRejection(violations);
  if (rejection) return reject(rejection);
  return ok(
    choices.map((choice) => ({
      communityId: budget.communityId,
      budgetId: budget.id,
      potId: choice.potId,
      voterKey: actor.signerKey,
      projectIds: choice.projectIds,
      ...(choice.points ? { points: choice.points } : {}),
      castAt: now.toISOString(),
    })),
  );
}
