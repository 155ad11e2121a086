import type { ProblemCode } from '../../domain/shared/problem-codes';
import { documentClient } from '../shared/dynamo';
import type { RouteRequest } from '../shared/routes';
import { dynamoAppealStore } from './store';
import { appealUseCases } from './use-cases';

/** The paths of the reception, and what every one of its routes needs: the store and the use cases. */

export const BASE = '/v1/communities/{communityId}/appeals';
export const ITEM = `${BASE}/{appealId}`;
export const PUBLIC = `${BASE}/public`;
/** A public item: the public routes serve it, the GeoJSON feed links to it. */
export const PUBLIC_ITEM = `${PUBLIC}/{appealId}`;

/** The reception's use cases on the request's table (registrations take turns per table and community). */
export const useCasesFor = (request: RouteRequest) =>
  appealUseCases(
    dynamoAppealStore(documentClient(request.config), request.config.tableName),
    undefined,
    undefined,
    request.config.tableName,
  );

/** What every staff action on one item may answer besides its own codes. */
export const STAFF_ERRORS: readonly ProblemCode[] = [
  'community_not_found',
  'appeal_not_found',
  'not_unit_officer',
  'appeal_closed',
  'version_conflict',
];
