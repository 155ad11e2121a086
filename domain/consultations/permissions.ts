import { type Actor, hasRole, Role } from '../identity/actor';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import type { Comment } from './comment';

/** Drafts, phases, surveys and the report are the council's. */
export const mayActAsCouncil = (actor: Actor): boolean => hasRole(actor, Role.council);

export const isCommentAuthor = (actor: Actor, comment: Comment): boolean =>
  actor.signerKey === comment.authorKey;

export const notCommentAuthor: DomainError = {
  code: 'not_author',
  message: text('Це може зробити лише автор коментаря.', 'Only the author of the comment may do this.'),
};
