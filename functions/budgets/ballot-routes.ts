import { BALLOT_BOX_GRACE_MS, BudgetPhase, potsOf } from '../../domain/budgets/budget';
import { BALLOT_CODES } from '../../domain/shared/problem-codes';
import { type AnyRoute, answer, defineRoute, userScope } from '../shared/routes';
import { ttlCache } from '../shared/ttl-cache';
import { BUDGET_ERRORS, BUDGET_PATH, budgetOf, storeFor, useCasesFor } from './requests';
import { BallotBodySchema, BudgetPathSchema, ballotView, MyBallotsSchema } from './schemas';
import type { BallotBox } from './use-cases';

/**
 * How old the ballot box's view of a budget may be: clearly less than the
 * grace a council's close gives, so that a ballot accepted from the cache is
 * written (and stamped) before the close takes effect.
 */
const BALLOT_BOX_CACHE_MS = BALLOT_BOX_GRACE_MS - 500;

/**
 * Budgets open for voting, with their projects, as the ballot box sees them:
 * up to {@link BALLOT_BOX_CACHE_MS} old, so that a ballot costs one write and
 * no reads. While voting is open the projects on the ballot cannot change
 * (review is over, results are not in). The council may close voting
 * meanwhile: its close takes effect that much later, so a ballot accepted
 * from the cache is still counted. The schedule's close is checked against
 * the clock, exactly. Budgets in other phases are read afresh every time.
 * The cache lives as long as the function instance, so it ages by the system clock.
 */
const votingBudgets = ttlCache<BallotBox | undefined>(BALLOT_BOX_CACHE_MS, {
  keep: (box) => box?.budget.phase === BudgetPhase.voting,
});

/** Voting: one ballot per pot, and what the voter holds. */
export const ballotRoutes: AnyRoute[] = [
  defineRoute({
    method: 'PUT',
    path: `${BUDGET_PATH}/ballots/me`,
    auth: 'user',
    operationId: 'castBudgetBallot',
    summary: 'Vote, or change your vote, while voting is open: one ballot per pot (eligible resident)',
    description:
      "Each ballot is checked against every limit of the budget's ballot type; the first broken limit names " +
      'the 422 (`ballot_too_many_projects`, `ballot_over_budget`, …) and `errors[]` lists them all. A ballot ' +
      'is one conditional write per pot; only ballots cast before voting closed are counted.',
    params: BudgetPathSchema,
    body: BallotBodySchema,
    // The hot path: no role lookup (voting needs only what the token says), settings up to 5 s old.
    scope: { roles: false, communityCacheMs: 5_000 },
    responses: { 200: { description: 'Your ballots as stored', schema: MyBallotsSchema } },
    errors: [...BUDGET_ERRORS, 'not_eligible', 'wrong_phase', ...BALLOT_CODES],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const useCases = useCasesFor(request);
      const { budgetId } = request.params;
      const box = await votingBudgets.get(`${request.config.tableName}|${community.id}|${budgetId}`, () =>
        useCases.ballotBoxOf({ communityId: community.id, budgetId }),
      );
      const outcome = await useCases.vote(command, box, budgetId, request.body.ballots);
      return answer(outcome, ({ ballots, pots }) => ({
        status: 200,
        body: { ballots: ballots.map(ballotView), pots: pots.map((pot) => pot.id) },
      }));
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET_PATH}/ballots/me`,
    auth: 'user',
    operationId: 'getMyBudgetBallots',
    summary: 'Your ballots in this budget, and the pots you may vote in',
    params: BudgetPathSchema,
    responses: { 200: { description: 'Your ballots', schema: MyBallotsSchema } },
    errors: BUDGET_ERRORS,
    handle: async (request) => {
      const { command } = userScope(request);
      const budget = await budgetOf(request);
      if (!budget.ok) return budget;
      const ballots = await storeFor(request).ballotsOf(
        budget.value.communityId,
        budget.value.id,
        command.actor.signerKey,
      );
      return {
        status: 200,
        body: {
          ballots: ballots.map(ballotView),
          pots: potsOf(budget.value, command.actor.residency?.districtId).map((pot) => pot.id),
        },
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),
];
