import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Entity } from '../../../functions/shared/keys';
import {
  routeRecords,
  STREAM_ROUTES,
  type StreamConsumer,
  type StreamRoute,
} from '../../../functions/streams/handler';

// The failing consumer below is logged as an error on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

function record(
  sequenceNumber: string,
  eventName: DynamoDBRecord['eventName'],
  entity: string,
): DynamoDBRecord {
  const image = { PK: { S: 'C#demo' }, SK: { S: sequenceNumber }, entity: { S: entity } };
  return {
    eventName,
    dynamodb: {
      SequenceNumber: sequenceNumber,
      ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
    },
  };
}

const seq = (records: readonly DynamoDBRecord[]) => records.map((entry) => entry.dynamodb?.SequenceNumber);

describe('the stream handler’s routing', () => {
  it('sends outbox INSERTs to the publisher, signature INSERTs to the tally, audit-intent INSERTs to the audit appender, comment INSERTs and MODIFYs to the comment count tally, comment-vote INSERTs and MODIFYs to the vote tally, survey-response INSERTs and MODIFYs to the survey tally, nothing else (no results job: it has a function of its own)', () => {
    expect(STREAM_ROUTES.map((route) => [route.entity, route.eventNames])).toEqual([
      [Entity.outbox, ['INSERT']],
      [Entity.signature, ['INSERT']],
      [Entity.auditIntent, ['INSERT']],
      [Entity.comment, ['INSERT', 'MODIFY']],
      [Entity.commentVote, ['INSERT', 'MODIFY']],
      [Entity.surveyResponse, ['INSERT', 'MODIFY']],
    ]);
  });

  it('gives each consumer only its entity’s records of the kinds it asked for, in stream order', async () => {
    const outbox = vi.fn<StreamConsumer>(async () => ({ batchItemFailures: [] }));
    const members = vi.fn<StreamConsumer>(async () => ({ batchItemFailures: [] }));
    const routes: StreamRoute[] = [
      { entity: Entity.outbox, eventNames: ['INSERT'], consume: outbox },
      { entity: Entity.member, eventNames: ['INSERT', 'REMOVE'], consume: members },
    ];
    const batch = [
      record('1', 'INSERT', Entity.outbox),
      record('2', 'INSERT', Entity.member),
      record('3', 'MODIFY', Entity.outbox),
      record('4', 'INSERT', Entity.community),
      record('5', 'REMOVE', Entity.member),
      record('6', 'INSERT', Entity.outbox),
    ];

    const response = await routeRecords(batch, routes);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(seq(outbox.mock.calls[0]?.[0] ?? [])).toEqual(['1', '6']);
    expect(seq(members.mock.calls[0]?.[0] ?? [])).toEqual(['2', '5']);
  });

  it('merges what consumers report, and fails every record of a consumer that throws', async () => {
    const routes: StreamRoute[] = [
      {
        entity: Entity.outbox,
        eventNames: ['INSERT'],
        consume: async () => ({ batchItemFailures: [{ itemIdentifier: '3' }] }),
      },
      {
        entity: Entity.member,
        eventNames: ['INSERT'],
        consume: async () => {
          throw new Error('the table is on fire');
        },
      },
    ];
    const batch = [
      record('1', 'INSERT', Entity.outbox),
      record('2', 'INSERT', Entity.member),
      record('3', 'INSERT', Entity.outbox),
      record('4', 'INSERT', Entity.member),
    ];

    const response = await routeRecords(batch, routes);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      '2',
      '3',
      '4',
    ]);
  });

  it('calls no consumer when no record is for it', async () => {
    const consume = vi.fn(async () => ({ batchItemFailures: [] }));

    const response = await routeRecords(
      [record('1', 'INSERT', Entity.community)],
      [{ entity: Entity.outbox, eventNames: ['INSERT'], consume }],
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(consume).not.toHaveBeenCalled();
  });
});
