import { type Actor, hasRole, Role } from '../identity/actor';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import { type Petition, PUBLIC_STATES } from './petition';

export const isAuthor = (actor: Actor | undefined, petition: Petition): boolean =>
  actor !== undefined && actor.signerKey === petition.authorKey;

/** Official answers and paper signatures are the council's. */
export const mayActAsCouncil = (actor: Actor): boolean => hasRole(actor, Role.council);

/** Drafts and petitions awaiting moderation are seen by their author and the community's staff only. */
export function mayRead(actor: Actor | undefined, petition: Petition): boolean {
  return (
    PUBLIC_STATES.has(petition.state) ||
    isAuthor(actor, petition) ||
    hasRole(actor, Role.moderator) ||
    hasRole(actor, Role.council)
  );
}

export const notAuthor: DomainError = {
  code: 'not_author',
  message: text('Це може зробити лише автор петиції.', 'Only the author of the petition may do this.'),
};
