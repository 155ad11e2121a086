import { describe, expect, it } from 'vitest';
import { thresholdEvent } from '../../../domain/petitions/events';
import { EventEnvelopeSchema } from '../../../events/envelope';
import { PetitionEvents, PetitionThresholdReachedV1 } from '../../../events/petitions';
import { ulidGenerator } from '../../../functions/shared/ids';

describe('the threshold-reached event', () => {
  it('has one detail shape, every field the schema names and no other, whoever crosses the threshold', () => {
    // Prepare
    const now = new Date('2026-05-10T12:00:00.000Z');

    // Act
    const event = thresholdEvent(
      ulidGenerator(),
      now,
      { communityId: 'demo', id: 'p1' },
      { name: 'response', signatures: 500 },
      501,
    );

    // Assess
    expect(EventEnvelopeSchema.parse(event)).toMatchObject({
      name: PetitionEvents.thresholdReached,
      communityId: 'demo',
      subject: 'petition/p1',
      occurredAt: now.toISOString(),
    });
    expect(PetitionThresholdReachedV1.strict().parse(event.detail)).toEqual({
      communityId: 'demo',
      petitionId: 'p1',
      threshold: 'response',
      signatures: 500,
      total: 501,
      reachedAt: now.toISOString(),
    });
  });
});
