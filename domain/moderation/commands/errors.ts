import { text } from '../../shared/localized';
import type { DomainError } from '../../shared/outcome';
import type { ModerationItem } from '../item';

/** Someone else holds the item: name them, and say until when. */
export function claimedError(item: ModerationItem): DomainError {
  const by = item.claim?.by ?? '';
  const until = item.claim?.until ?? '';
  return {
    code: 'item_claimed',
    message: text(
      `Цей запис опрацьовує ${by} (до ${until}). Дочекайтеся рішення або завершення цього часу.`,
      `${by} is working on this item (until ${until}). Wait for their decision or for that time to pass.`,
    ),
    details: { claimedBy: by, until },
  };
}

export function nothingToDecide(item: ModerationItem): DomainError {
  return {
    code: 'nothing_to_decide',
    message: text('Цей запис не очікує рішення.', 'This item is not waiting for a decision.'),
    details: { itemStatus: item.status },
  };
}
