import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { Entity } from '../shared/keys';
import { logLine } from '../shared/log';
import { appendAuditIntents } from './audit-appender';
import { tallyCommentCounts } from './comment-count-tally';
import { publishOutbox } from './outbox-publisher';
import { tallySurveyResponses } from './survey-tally';
import { tallySignatures } from './tally';
import { tallyCommentVotes } from './vote-tally';

/** Handles the records routed to it; reports the ones to deliver again. */
export type StreamConsumer = (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse>;

type StreamEventName = NonNullable<DynamoDBRecord['eventName']>;

/** Which records a consumer gets: items of one entity, for some kinds of change. */
export interface StreamRoute {
  readonly entity: Entity;
  readonly eventNames: readonly StreamEventName[];
  readonly consume: StreamConsumer;
}

/**
 * The routing table of the table's one stream consumer (a DynamoDB stream
 * allows only two consumers per shard, so concerns share this one). A record
 * goes to the route of its item's `entity`; records no route wants are skipped.
 * Adding a consumer is one line here.
 */
export const STREAM_ROUTES: readonly StreamRoute[] = [
  { entity: Entity.outbox, eventNames: ['INSERT'], consume: publishOutbox },
  { entity: Entity.signature, eventNames: ['INSERT'], consume: tallySignatures },
  { entity: Entity.auditIntent, eventNames: ['INSERT'], consume: appendAuditIntents },
  // Every command's change of a comment may change what is counted (visible or not).
  { entity: Entity.comment, eventNames: ['INSERT', 'MODIFY'], consume: tallyCommentCounts },
  // A vote item is written on the first vote and updated on each change: both kinds carry a change.
  { entity: Entity.commentVote, eventNames: ['INSERT', 'MODIFY'], consume: tallyCommentVotes },
  // A response is written once and replaced on each new answer: a replacement moves the counts.
  { entity: Entity.surveyResponse, eventNames: ['INSERT', 'MODIFY'], consume: tallySurveyResponses },
];

/** The `entity` attribute of the record's item; the old image for removals. */
function entityOf(record: DynamoDBRecord): string | undefined {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  return image?.entity?.S;
}

/**
 * Splits a batch among `routes` (keeping stream order within each consumer),
 * runs the consumers side by side and merges what they report. A consumer that
 * throws fails all its records, so that they come back rather than vanish.
 */
export async function routeRecords(
  records: readonly DynamoDBRecord[],
  routes: readonly StreamRoute[],
): Promise<DynamoDBBatchResponse> {
  const work = routes
    .map((route) => ({
      route,
      records: records.filter(
        (record) =>
          entityOf(record) === route.entity &&
          record.eventName !== undefined &&
          route.eventNames.includes(record.eventName),
      ),
    }))
    .filter((share) => share.records.length > 0);

  const results = await Promise.allSettled(work.map((share) => share.route.consume(share.records)));
  const batchItemFailures = results.flatMap((result, index) => {
    if (result.status === 'fulfilled') return result.value.batchItemFailures;
    const share = work[index];
    logLine('error', {
      msg: 'stream consumer threw',
      entity: share?.route.entity,
      error: String(result.reason),
    });
    return (share?.records ?? []).map((record) => ({
      itemIdentifier: record.dynamodb?.SequenceNumber ?? '',
    }));
  });
  return { batchItemFailures };
}

/** The Lambda handler of the table's stream (`ReportBatchItemFailures` on). */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
  routeRecords(event.Records, STREAM_ROUTES);
