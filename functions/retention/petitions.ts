import { itemIdOf, ModerationType } from '../../domain/moderation/item';
import type { RetentionSubject } from '../../domain/retention/retention';
import { petitionFromItem } from '../petitions/items';
import { itemsOfBuckets, readItem } from '../shared/dynamo';
import { keys, SIGNATURE_BUCKETS } from '../shared/keys';
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

/**
 * A closed petition's personal items, every kind of them:
 * - `signatures`: one item per signer (`…#S#<signerKey>`), with the signer's
 *   district and time: found through the GSI1 buckets the recount reads;
 * - `receipts`: the tally's per-second receipts beside the petition, whose
 *   `signers` are short signer ids;
 * - `sponsors`: `SPONSOR#<signerKey>` beside the petition;
 * - `reports`: residents' reports on its moderation item (`REPORT#<signerKey>`).
 * What stays is public or anonymous: the petition with its counts
 * (`signatureCount` is the archived count the recount answers from), its
 * `STATS` (by district and by day), its threshold marks, its response. The
 * author's key stays on the petition and its moderation item: the author is
 * the petition's responsible party, who may still appeal, read `mine`, and be
 * answered by the council; erasing it would orphan the petition.
 */
export async function erasePetition(
  context: ErasureContext,
  subject: RetentionSubject,
): Promise<ErasureOutcome> {
  const { client, tableName } = context;
  const { communityId, subjectId } = subject;
  const item = await readItem(client, tableName, keys.petition(communityId, subjectId));
  const petition = item ? petitionFromItem(item) : undefined;
  if (!petition || petition.anonymised) return dropEntry(context, subject);

  const petitionKey = keys.petition(communityId, subjectId);
  const [signatures, receipts, sponsors, reports] = await Promise.all([
    itemsOfBuckets(
      client,
      tableName,
      SIGNATURE_BUCKETS,
      (bucket) => keys.signatureBucket(communityId, subjectId, bucket).GSI1PK,
    ).then((items) => items.map(keyOf)),
    keysUnder(context, petitionKey.PK, keys.tallyReceipt(communityId, subjectId, '').SK),
    keysUnder(context, petitionKey.PK, keys.petitionSponsor(communityId, subjectId, '').SK),
    reportsOn(context, communityId, itemIdOf(ModerationType.petition, subjectId)),
  ]);
  return eraseAndMark(
    context,
    subject,
    [...signatures, ...receipts, ...sponsors, ...reports],
    {
      signatures: signatures.length,
      receipts: receipts.length,
      sponsors: sponsors.length,
      reports: reports.length,
    },
    (anonymisation) =>
      markAnonymised(
        tableName,
        petitionKey,
        { attribute: 'version', value: petition.version },
        anonymisation,
      ),
  );
}
