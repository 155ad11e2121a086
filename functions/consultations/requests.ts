import { type AuditAction, type AuditSummary, newAuditIntent } from '../../domain/audit/intent';
import type { Community } from '../../domain/communities/community';
import type { Consultation } from '../../domain/consultations/consultation';
import type { Draft } from '../../domain/consultations/draft';
import { type ParticipationRules, participationRules } from '../../domain/consultations/eligibility';
import type { ConsultationStore } from '../../domain/consultations/ports';
import type { CommandContext } from '../../domain/shared/command';
import { text } from '../../domain/shared/localized';
import type { DomainError } from '../../domain/shared/outcome';
import { documentClient } from '../shared/dynamo';
import type { RouteReply, RouteRequest } from '../shared/routes';
import { ttlCache } from '../shared/ttl-cache';
import { dynamoConsultationStore } from './store';

/** What every consultations route needs: the store, the caller, the consultation of the path. */

export const BASE = '/v1/communities/{communityId}/consultations';
export const ITEM = `${BASE}/{consultationId}`;
export const COMMENT = `${ITEM}/comments/{commentId}`;

/** How often a use case reads again and re-runs its (pure, cheap) command when another change came first. */
const ATTEMPTS = 4;

export const storeFor = (request: RouteRequest): ConsultationStore =>
  dynamoConsultationStore(documentClient(request.config), request.config.tableName);

/** The community's rules for taking part (its moderation mode; no age limit is set for consultations). */
export const rulesOf = (community: Community): ParticipationRules => participationRules(community);

export const consultationNotFound = (consultationId: string): DomainError => ({
  code: 'consultation_not_found',
  message: text('Консультацію не знайдено.', 'There is no such consultation.'),
  details: { consultationId },
});

export const changedMeanwhile: DomainError = {
  code: 'version_conflict',
  message: text(
    'Консультацію чи коментар саме змінили кілька разів поспіль. Спробуйте ще раз.',
    'The consultation or comment changed several times just now. Please try again.',
  ),
};

/** The consultation of the path; every phase is public (a draft is announced before it opens). */
export async function loadConsultation(
  request: RouteRequest<{ consultationId: string }>,
): Promise<Consultation | DomainError> {
  const community = request.community as Community;
  const consultation = await storeFor(request).get(community.id, request.params.consultationId);
  return consultation ?? consultationNotFound(request.params.consultationId);
}

/** Published versions never change, so a container keeps the ones it has read (a miss is not kept). */
const drafts = ttlCache<Draft | undefined>(15 * 60_000, 200, Date.now, (draft) => draft !== undefined);

/** A published version of a consultation's draft; undefined when it has no such version. */
export function draftOf(
  request: RouteRequest,
  consultation: Pick<Consultation, 'communityId' | 'id'>,
  version: number,
): Promise<Draft | undefined> {
  return drafts.get(
    `${request.config.tableName}|${consultation.communityId}|${consultation.id}|${version}`,
    () => storeFor(request).draft(consultation.communityId, consultation.id, version),
  );
}

/** The version comments are made on now; its absence is a broken invariant, not a client's mistake. */
export async function currentDraftOf(request: RouteRequest, consultation: Consultation): Promise<Draft> {
  const draft = await draftOf(request, consultation, consultation.currentVersion);
  if (!draft)
    throw new Error(`Consultation ${consultation.id} has no stored version ${consultation.currentVersion}`);
  return draft;
}

/**
 * Runs a use case on the current consultation until its write lands: read,
 * run the command, write conditioned on what was read; when another change
 * came first, read again. Gives up with a 409 after {@link ATTEMPTS} rounds.
 */
export async function retrying(attempt: () => Promise<RouteReply | 'conflict'>): Promise<RouteReply> {
  for (let round = 0; round < ATTEMPTS; round += 1) {
    const reply = await attempt();
    if (reply !== 'conflict') return reply;
  }
  return { error: changedMeanwhile };
}

/** The audit intent of a council action on a consultation. */
export function councilAudit(
  command: CommandContext,
  action: AuditAction,
  consultation: Pick<Consultation, 'communityId' | 'id'>,
  before?: AuditSummary,
  after?: AuditSummary,
) {
  return newAuditIntent(command, {
    communityId: consultation.communityId,
    action,
    target: `consultation/${consultation.id}`,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
  });
}
