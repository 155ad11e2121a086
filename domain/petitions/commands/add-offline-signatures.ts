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

/**
 * The council adds verified paper signatures: a separate count, reported apart
 * from online signatures and added to the total. Crossing a threshold here fires
 * it just as the tally would (the mark is written with a condition).
 *
 * Outcomes: ok (value: the petition and the thresholds crossed; emits
 * `petition.threshold-reached.v1` for each; audited); `forbidden` (not council);
 * `invalid_state` (not open or closed).
 */
export function addOfflineSignatures(
  context: CommandContext,
  petition: Petition,
  count: number,
): Outcome<{ petition: Petition; crossed: PetitionThreshold[] }> {
  const { actor, clock, ids } = context;
  if (!mayActAsCouncil(actor)) return reject(forbidden('council'));
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
  const counted = { ...petition, offlineSignatureCount: petition.offlineSignatureCount + count };
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
  return ok(
    { petition: next, crossed },
    crossed.map((threshold) => thresholdEvent(ids, now, next, threshold, totalSignatures(next))),
    petitionAudit(context, AuditAction.petitionOfflineSignatures, petition, next, [
      'offlineSignatureCount',
      'thresholdsReached',
    ]),
  );
}
