import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { petitionAudit } from '../audit';
import { thresholdEvent } from '../events';
import { mayActAsCouncil } from '../permissions';
import { OFFLINE_COUNTABLE, type Petition, type PetitionThreshold, totalSignatures } from '../petition';
import { crossedThresholds } from '../thresholds';

/** One batch of verified paper signatures as the council sends it: its id (the `Idempotency-Key`) and body. */
export interface PaperBatchInput {
  readonly id: string;
  readonly count: number;
  readonly note?: string;
}

/** A batch as recorded beside its petition, in the transaction that counted it: a batch counts once. */
export interface PaperBatch extends PaperBatchInput {
  readonly petitionId: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

/** What adding a batch answered: the petition, the thresholds it crossed, the batch, and whether it was a replay. */
export interface PaperBatchAdded {
  readonly petition: Petition;
  readonly crossed: readonly PetitionThreshold[];
  readonly batch: PaperBatch;
  /** True when the batch had been counted before: nothing is written, the petition is answered as it is. */
  readonly replayed: boolean;
}

/** True when a batch sent again is the one recorded under its id: the same count and note. */
export const sameBatch = (recorded: PaperBatchInput, sent: PaperBatchInput): boolean =>
  recorded.count === sent.count && (recorded.note ?? '') === (sent.note ?? '');

/**
 * The council adds verified paper signatures: a separate count, reported apart
 * from online signatures and added to the total. Crossing a threshold here fires
 * it just as the tally would (the mark is written with a condition).
 *
 * Each batch carries an id; the batch is recorded under it in the same write as
 * the count, so a retry (a lost answer, a double click, ten requests at once)
 * never counts twice: a batch already `recorded` with the same body is a
 * replay, answered with the petition as it is and writing nothing; with
 * another body it is refused, since the id no longer says which batch is meant.
 *
 * Outcomes: ok (value: the petition, the thresholds crossed and the batch; emits
 * `petition.threshold-reached.v1` for each; audited; a replay emits nothing);
 * `forbidden` (not council); `idempotency_key_reused` (the id names another
 * batch); `invalid_state` (not open or closed).
 */
export function addOfflineSignatures(
  context: CommandContext,
  petition: Petition,
  input: PaperBatchInput,
  recorded?: PaperBatch,
): Outcome<PaperBatchAdded> {
  const { actor, clock, ids } = context;
  if (!mayActAsCouncil(actor)) return reject(forbidden('council'));
  if (recorded) {
    if (sameBatch(recorded, input)) return ok({ petition, crossed: [], batch: recorded, replayed: true });
    return fail(
      'idempotency_key_reused',
      text(
        `Ключ ${input.id} уже використано для іншої пачки паперових підписів (${recorded.count}). Для нової пачки надішліть новий ключ.`,
        `The key ${input.id} was used for another batch of paper signatures (${recorded.count}). Send a new key for a new batch.`,
      ),
      { idempotencyKey: input.id, recordedCount: recorded.count, recordedAt: recorded.addedAt },
    );
  }
  if (!OFFLINE_COUNTABLE.has(petition.state)) {
    return fail(
      'invalid_state',
      text(
        `Паперові підписи додають до відкритої або закритої петиції; ця у стані «${petition.state}».`,
        `Paper signatures are added to an open or closed petition; this one is "${petition.state}".`,
      ),
      { currentState: petition.state },
    );
  }
  const now = clock.now();
  const before = totalSignatures(petition);
  const counted = { ...petition, offlineSignatureCount: petition.offlineSignatureCount + input.count };
  const crossed = crossedThresholds(
    petition.thresholds,
    before,
    totalSignatures(counted),
    petition.thresholdsReached,
  );
  const next: Petition = {
    ...counted,
    thresholdsReached: {
      ...petition.thresholdsReached,
      ...Object.fromEntries(
        crossed.map((threshold) => [
          threshold.name,
          { signatures: threshold.signatures, reachedAt: now.toISOString() },
        ]),
      ),
    },
    version: petition.version + 1,
  };
  const batch: PaperBatch = {
    ...input,
    petitionId: petition.id,
    addedAt: now.toISOString(),
    addedBy: actor.subject,
  };
  return ok(
    { petition: next, crossed, batch, replayed: false },
    crossed.map((threshold) => thresholdEvent(ids, now, next, threshold, totalSignatures(next))),
    petitionAudit(context, AuditAction.petitionOfflineSignatures, petition, next, [
      'offlineSignatureCount',
      'thresholdsReached',
    ]),
  );
}
