import { countsIn } from '../../domain/budgets/pabulib-of-budget';
import { itemIdOf, ModerationType } from '../../domain/moderation/item';
import type { RetentionSubject } from '../../domain/retention/retention';
import { ballotFromItem, budgetFromItem, projectFromItem } from '../budgets/items';
import { itemsOfBuckets, itemsUnder, readItem } from '../shared/dynamo';
import { archivedVoter, BALLOT_BUCKETS, Entity, keys } from '../shared/keys';
import { commitWithEvents, type TransactItem } from '../shared/outbox';
import {
  dropEntry,
  type ErasureContext,
  type ErasureOutcome,
  eraseAndMark,
  keyOf,
  markAnonymised,
  reportsOn,
} from './erasure';

/**
 * Ballots moved per transaction: each is a delete and a put (2 items), and the
 * last transaction also carries the mark, the schedule entry and the audit
 * intent, within TransactWriteItems' 100.
 */
const BALLOTS_PER_TRANSACTION = 48;

/**
 * A budget's personal items, every kind of them:
 * - `ballots`: one per voter and pot (`…#V#<voterKey>`), found through the
 *   GSI1 buckets the results read. They are not simply deleted: the pabulib
 *   export is written from them, page by page, and its sha256 is the
 *   published results' `inputSha256`. Each counted ballot is moved, in one
 *   transaction with its deletion, to an archived ballot without its voter
 *   (projects, points, pot and the day it was cast), ranked in the order the
 *   export numbers voters in, so the export writes the same file as before.
 *   Ballots that never counted (cast after voting closed) are deleted only.
 * - `reports`: residents' reports on the moderation items of its projects.
 * What stays is public or anonymous: the budget, its projects (with their
 * authors' keys, as a petition keeps its author's: the proposer answers for
 * the project and follows its implementation), the results with the tally
 * each was computed from, and the archived ballots.
 */
export async function eraseBudget(
  context: ErasureContext,
  subject: RetentionSubject,
): Promise<ErasureOutcome> {
  const { client, tableName } = context;
  const { communityId, subjectId } = subject;
  const item = await readItem(client, tableName, keys.budget(communityId, subjectId));
  const budget = item ? budgetFromItem(item) : undefined;
  if (!budget || budget.anonymised) return dropEntry(context, subject);

  const projectsPrefix = keys.budgetProjects(communityId, subjectId);
  const [ballotItems, projectItems] = await Promise.all([
    itemsOfBuckets(
      client,
      tableName,
      BALLOT_BUCKETS,
      (bucket) => keys.budgetBallotBucket(communityId, subjectId, bucket).GSI1PK,
    ),
    itemsUnder(client, tableName, projectsPrefix.PK, projectsPrefix.SKPrefix),
  ]);
  const reports = (
    await Promise.all(
      projectItems
        .map(projectFromItem)
        .map((project) =>
          reportsOn(context, communityId, itemIdOf(ModerationType.budgetProject, project.id)),
        ),
    )
  ).flat();

  // Ballots moved by an earlier run that stopped half-way are a prefix of the order: go on after the last.
  const archived = ballotItems.filter((ballot) => ballot.entity === Entity.budgetBallotArchived);
  const nextRank = archived.reduce((highest, ballot) => Math.max(highest, rankOf(ballot) + 1), 0);
  const originals = ballotItems
    .filter((ballot) => ballot.entity === Entity.budgetBallot)
    .sort((a, b) => ((a.GSI1SK as string) < (b.GSI1SK as string) ? -1 : 1));

  const moves: TransactItem[][] = originals.map((original, index) => {
    const ballot = ballotFromItem(original);
    const pot = budget.pots.find((candidate) => candidate.id === ballot.potId);
    const remove: TransactItem = {
      Delete: { TableName: tableName, Key: keyOf(original), ConditionExpression: 'attribute_exists(PK)' },
    };
    if (!pot || !countsIn(budget, pot, ballot)) return [remove];
    const rank = nextRank + index;
    return [
      remove,
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.budgetArchivedBallot(communityId, subjectId, rank),
            ...keys.budgetArchivedBallotIndex(communityId, subjectId, rank),
            entity: Entity.budgetBallotArchived,
            communityId,
            budgetId: subjectId,
            potId: ballot.potId,
            voterKey: archivedVoter(rank),
            projectIds: ballot.projectIds,
            ...(ballot.points ? { points: ballot.points } : {}),
            // The day alone: before voting closed, as it was (a day's prefix sorts before its instants).
            castAt: ballot.castAt.slice(0, 10),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
  });
  const chunks: TransactItem[][] = [];
  for (let start = 0; start < moves.length; start += BALLOTS_PER_TRANSACTION) {
    chunks.push(moves.slice(start, start + BALLOTS_PER_TRANSACTION).flat());
  }
  const last = chunks.pop() ?? [];
  // In order, one transaction at a time: what is archived is always a prefix of the order.
  for (const chunk of chunks) {
    if ((await commitWithEvents(client, tableName, chunk, [])) !== 'committed') return { status: 'conflict' };
  }
  return eraseAndMark(
    context,
    subject,
    reports,
    { ballots: originals.length, reports: reports.length },
    (anonymisation) =>
      markAnonymised(
        tableName,
        keys.budget(communityId, subjectId),
        { attribute: 'version', value: budget.version },
        anonymisation,
      ),
    last,
  );
}

/** An archived ballot's rank, from the voter it stands for. */
const rankOf = (item: Record<string, unknown>): number => Number((item.voterKey as string).slice(1));
