import type { Community } from '../../domain/communities/community';
import type { Draft } from '../../domain/consultations/draft';
import { type ParticipationRules, participationRules } from '../../domain/consultations/eligibility';
import type { ConsultationStore } from '../../domain/consultations/ports';
import { documentClient } from '../shared/dynamo';
import type { RouteRequest } from '../shared/routes';
import { ttlCache } from '../shared/ttl-cache';
import { dynamoConsultationStore } from './store';
import { consultationUseCases } from './use-cases';

/** The paths of the consultations tool, and what every one of its routes needs: the store and the use cases. */

export const BASE = '/v1/communities/{communityId}/consultations';
export const ITEM = `${BASE}/{consultationId}`;
export const COMMENT = `${ITEM}/comments/{commentId}`;

/**
 * Published versions never change, so a container keeps the ones it has read
 * (a miss is not kept), by its own time, not a request's (a cache is no decision).
 */
const drafts = ttlCache<Draft | undefined>(15 * 60_000, {
  maxEntries: 200,
  keep: (draft) => draft !== undefined,
});

/** The store of the request's table, its published versions read through the container's cache. */
export function storeFor(request: RouteRequest): ConsultationStore {
  const store = dynamoConsultationStore(documentClient(request.config), request.config.tableName);
  return {
    ...store,
    draft: (communityId, consultationId, version) =>
      drafts.get(`${request.config.tableName}|${communityId}|${consultationId}|${version}`, () =>
        store.draft(communityId, consultationId, version),
      ),
  };
}

/** The consultation use cases on the request's table. */
export const useCasesFor = (request: RouteRequest) => consultationUseCases(storeFor(request));

/** The community's rules for taking part (its moderation mode; no age limit is set for consultations). */
export const rulesOf = (community: Community): ParticipationRules => participationRules(community);
