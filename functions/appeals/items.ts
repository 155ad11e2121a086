import { type Appeal, OPEN } from '../../domain/appeals/appeal';
import { awaitsOverdueMark } from '../../domain/appeals/overdue';
import { publishedAt } from '../../domain/appeals/permissions';
import { type FieldsOf, pickFields } from '../shared/item-fields';
import { Entity, keys } from '../shared/keys';

/**
 * How an item of the reception is stored: the item with the listing keys its
 * state implies. A save puts the whole item, so a key the new state does not
 * imply (the due schedule of a closed item) is gone with it.
 */
export function appealToItem(appeal: Appeal): Record<string, unknown> {
  const open = OPEN.has(appeal.status);
  const closedAt = appeal.timeline.at(-1)?.at ?? appeal.registeredAt;
  const published = publishedAt(appeal);
  return {
    ...keys.appeal(appeal.communityId, appeal.id),
    entity: Entity.appeal,
    ...keys.appealUnitIndex(
      appeal.communityId,
      appeal.unitId,
      open,
      open ? appeal.dueOn : closedAt,
      appeal.id,
    ),
    ...keys.appealAuthorIndex(appeal.communityId, appeal.authorKey, appeal.submittedAt, appeal.id),
    ...(awaitsOverdueMark(appeal) ? keys.appealDueIndex(appeal.dueOn, appeal.communityId, appeal.id) : {}),
    ...(published ? keys.appealPublicIndex(appeal.communityId, appeal.kind, published, appeal.id) : {}),
    ...appeal,
  };
}

const APPEAL_FIELDS = {
  id: true,
  communityId: true,
  kind: true,
  number: true,
  categoryId: true,
  unitId: true,
  assignee: true,
  author: true,
  authorKey: true,
  appealType: true,
  title: true,
  text: true,
  location: true,
  photoUrl: true,
  status: true,
  timeline: true,
  submittedAt: true,
  registeredAt: true,
  registeredOn: true,
  dueOn: true,
  noFurtherStudy: true,
  extension: true,
  answer: true,
  refusal: true,
  forwardedTo: true,
  overdueSince: true,
  publication: true,
  version: true,
} as const satisfies FieldsOf<Appeal>;

export const appealFromItem = (item: Record<string, unknown>): Appeal =>
  pickFields<Appeal>(item, APPEAL_FIELDS);
