import { autoHideComment, moderateComment } from '../../domain/consultations/commands/moderate-comment';
import { type Comment, CommentState } from '../../domain/consultations/comment';
import { ModerationType } from '../../domain/moderation/item';
import { text } from '../../domain/shared/localized';
import { type DomainError, type Outcome, reject } from '../../domain/shared/outcome';
import {
  type SubjectChange,
  type SubjectDeps,
  type SubjectPort,
  subjectChange,
} from '../moderation/subjects';
import { commentSnapshot } from './items';
import { commentUpdate, dynamoConsultationStore } from './store';

const storeOf = (deps: SubjectDeps) => dynamoConsultationStore(deps.client, deps.tableName);

/** A comment that is not there, as the moderation centre reports it. */
const missing = (commentId: string): DomainError => ({
  code: 'item_not_found',
  message: text('Коментаря для модерації не знайдено.', 'There is no such comment to moderate.'),
  details: { commentId },
});

/** A comment command's outcome as the centre's part of the write. */
const changeOf = (deps: SubjectDeps, previous: Comment, outcome: Outcome<Comment>): Outcome<SubjectChange> =>
  subjectChange(previous, outcome, (next) => [commentUpdate(deps.tableName, previous, next)]);

/**
 * Consultation comments in the moderation centre: approve and restore publish,
 * reject and hide take the text from the public (the thread stays), reports
 * hide a published comment until a moderator decides. The item's `parentId`
 * is the consultation.
 */
export const commentSubjectPort: SubjectPort = {
  type: ModerationType.comment,

  async describe(deps, communityId, subjectId) {
    const store = storeOf(deps);
    const comment = await store.comment(communityId, subjectId);
    if (!comment) return undefined;
    const consultation = await store.get(communityId, comment.consultationId);
    if (!consultation) return undefined;
    return {
      snapshot: commentSnapshot(consultation, comment),
      isPublic: comment.state === CommentState.visible,
    };
  },

  async decide(deps, context, community, subjectId, input) {
    const comment = await storeOf(deps).comment(community.id, subjectId);
    if (!comment) return reject(missing(subjectId));
    return changeOf(deps, comment, moderateComment(context, comment, input));
  },

  async hide(deps, context, community, subjectId) {
    const comment = await storeOf(deps).comment(community.id, subjectId);
    if (!comment) return reject(missing(subjectId));
    return changeOf(deps, comment, autoHideComment(context, comment));
  },
};
