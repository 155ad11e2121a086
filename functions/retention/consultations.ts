import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { itemIdOf, ModerationType } from '../../domain/moderation/item';
import type { RetentionSubject } from '../../domain/retention/retention';
import { PSEUDONYM_PREFIX, pseudonymsFor } from '../consultations/export';
import { consultationFromItem } from '../consultations/items';
import { itemsOfBuckets, queryAll, readItem } from '../shared/dynamo';
import { COMMENT_VOTE_BUCKETS, type ItemKey, keys, SURVEY_RESPONSE_BUCKETS } from '../shared/keys';
import {
  dropEntry,
  type ErasureContext,
  type ErasureOutcome,
  eraseAndMark,
  keyOf,
  keysUnder,
  markAnonymised,
  reportsOn,
} from './erasure';

/** Comments whose receipts, reports and author are seen to at once. */
const COMMENTS_AT_ONCE = 16;

/**
 * A consultation's personal items, every kind of them:
 * - `responses`: one survey response per respondent (`…#R#<respondentKey>`),
 *   found through their GSI1 buckets. The survey tally's counters stay (the
 *   results, for everyone and per district).
 * - `surveyReceipts`: the survey tally's receipts (short respondent ids), in
 *   one partition per counter page, found from the counters.
 * - `votes`: each resident's vote on a comment (`…#CMT#<id>#V#<voterKey>`), in a
 *   partition of its own, found through the consultation's GSI1 vote buckets;
 *   the counts on the comments stay.
 * - `voteReceipts`: the vote tally's receipts beside each comment (short voter ids).
 * - `reports`: residents' reports on the moderation items of its comments.
 * - comment authors: each comment's `authorKey` (the author's signer key, from
 *   which whoever holds the server's secret can tell who wrote it) becomes the
 *   pseudonym the consultation's export has always shown for that author
 *   (`pseudonym:<16 hex>`), on the comment and on its moderation item (where
 *   the author's index key moves with it). Texts stay under their pseudonyms,
 *   grouped by person within the consultation, linked to nobody.
 * Not erased: votes cast before votes were listed on GSI1 (issue 13) are in
 * partitions no index lists; finding them would mean reading the whole table.
 */
export async function eraseConsultation(
  context: ErasureContext,
  subject: RetentionSubject,
): Promise<ErasureOutcome> {
  const { client, tableName } = context;
  const { communityId, subjectId } = subject;
  const consultationKey = keys.consultation(communityId, subjectId);
  const item = await readItem(client, tableName, consultationKey);
  const consultation = item ? consultationFromItem(item) : undefined;
  if (!consultation || consultation.anonymised) return dropEntry(context, subject);

  const [responses, votes, counters, comments] = await Promise.all([
    itemsOfBuckets(
      client,
      tableName,
      SURVEY_RESPONSE_BUCKETS,
      (bucket) => keys.surveyResponseBucket(communityId, subjectId, bucket).GSI1PK,
    ).then((items) => items.map(keyOf)),
    itemsOfBuckets(
      client,
      tableName,
      COMMENT_VOTE_BUCKETS,
      (bucket) => keys.commentVoteBucket(communityId, subjectId, bucket).GSI1PK,
    ).then((items) => items.map(keyOf)),
    queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.surveyCounterPartition(communityId, subjectId).PK },
      ConsistentRead: true,
    }),
    commentsOf(context, communityId, subjectId),
  ]);
  const surveyReceipts = (
    await Promise.all(
      counters.map((counter) => {
        const receipt = keys.surveyCountReceipt(
          communityId,
          subjectId,
          counter.districtId as string | undefined,
          counter.page as number,
          '',
        );
        return keysUnder(context, receipt.PK, receipt.SK);
      }),
    )
  ).flat();
  const pseudonymize = pseudonymsFor(subjectId);
  const eraseAuthor = async (comment: { id: string; authorKey: string }) => {
    const itemId = itemIdOf(ModerationType.comment, comment.id);
    const voteReceipt = keys.commentVoteReceipt(communityId, comment.id, '');
    const [voteReceipts, reports] = await Promise.all([
      keysUnder(context, voteReceipt.PK, voteReceipt.SK),
      reportsOn(context, communityId, itemId),
    ]);
    if (!comment.authorKey.startsWith(PSEUDONYM_PREFIX)) {
      const pseudonym = `${PSEUDONYM_PREFIX}${pseudonymize(comment.authorKey)}`;
      await replaceAuthor(context, keys.comment(communityId, comment.id), comment.authorKey, pseudonym);
      await replaceAuthor(context, keys.moderationItem(communityId, itemId), comment.authorKey, pseudonym, {
        GSI2PK: keys.moderationByAuthor(communityId, pseudonym).GSI2PK,
      });
    }
    return { voteReceipts, reports };
  };
  const perComment: { voteReceipts: ItemKey[]; reports: ItemKey[] }[] = [];
  // A few comments at a time: a consultation may have thousands, each a few reads and writes.
  for (let start = 0; start < comments.length; start += COMMENTS_AT_ONCE) {
    perComment.push(...(await Promise.all(comments.slice(start, start + COMMENTS_AT_ONCE).map(eraseAuthor))));
  }
  const voteReceipts = perComment.flatMap((each) => each.voteReceipts);
  const reports = perComment.flatMap((each) => each.reports);
  return eraseAndMark(
    context,
    subject,
    [...responses, ...votes, ...surveyReceipts, ...voteReceipts, ...reports],
    {
      responses: responses.length,
      votes: votes.length,
      surveyReceipts: surveyReceipts.length,
      voteReceipts: voteReceipts.length,
      reports: reports.length,
      commentAuthors: comments.length,
    },
    (anonymisation) =>
      markAnonymised(
        tableName,
        consultationKey,
        { attribute: 'revision', value: consultation.revision },
        anonymisation,
      ),
  );
}

/** Every comment of a consultation (top-level and replies), its id and author. */
async function commentsOf(
  context: ErasureContext,
  communityId: string,
  consultationId: string,
): Promise<{ id: string; authorKey: string }[]> {
  const partitions = [
    keys.commentsOfConsultation(communityId, consultationId).GSI1PK,
    keys.repliesOfConsultation(communityId, consultationId).GSI1PK,
  ];
  const items = await Promise.all(
    partitions.map((partition) =>
      queryAll(context.client, {
        TableName: context.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ProjectionExpression: 'id, authorKey',
        ExpressionAttributeValues: { ':pk': partition },
      }),
    ),
  );
  return items
    .flat()
    .map((comment) => ({ id: comment.id as string, authorKey: comment.authorKey as string }));
}

/**
 * Sets an item's author to the pseudonym, if it still names `authorKey`: an
 * item that is not there (a comment never queued for moderation has no item)
 * or was changed already is left as it is. The comment's revision does not
 * move: nothing a reader or the count tally goes by has changed.
 */
async function replaceAuthor(
  context: ErasureContext,
  key: ItemKey,
  authorKey: string,
  pseudonym: string,
  also: Readonly<Record<string, string>> = {},
): Promise<void> {
  const extra = Object.keys(also);
  try {
    await context.client.send(
      new UpdateCommand({
        TableName: context.tableName,
        Key: key,
        UpdateExpression: `SET authorKey = :pseudonym${extra.map((name) => `, ${name} = :${name}`).join('')}`,
        ConditionExpression: 'authorKey = :authorKey',
        ExpressionAttributeValues: {
          ':pseudonym': pseudonym,
          ':authorKey': authorKey,
          ...Object.fromEntries(extra.map((name) => [`:${name}`, also[name]])),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
