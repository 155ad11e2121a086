import type { Community } from '../../domain/communities/community';
import { LimitedAction } from '../../domain/communities/limits';
import { hasRole, Role } from '../../domain/identity/actor';
import { type Petition, PUBLIC_STATES, totalSignatures } from '../../domain/petitions/petition';
import type { PetitionStore } from '../../domain/petitions/ports';
import { text } from '../../domain/shared/localized';
import type { DomainError } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import { documentClient } from '../shared/dynamo';
import { PageQuerySchema, pageBody, pageRequest } from '../shared/pagination';
import { limitedBy } from '../shared/rate-limits';
import {
  type AnyRoute,
  answer,
  created,
  defineRoute,
  type RouteRequest,
  TABLE_READ_WRITE,
  type ToolDefinition,
  userScope,
} from '../shared/routes';
import { sameSecret } from '../shared/secrets';
import { ttlCache } from '../shared/ttl-cache';
import {
  CreatePetitionBodySchema,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
  ListPetitionsQuerySchema,
  MySignatureSchema,
  OfflineSignaturesBodySchema,
  PetitionGetQuerySchema,
  PetitionListSchema,
  PetitionPathSchema,
  PetitionsPathSchema,
  PetitionViewSchema,
  petitionView,
  ResponseBodySchema,
  SignResultSchema,
  SponsorBodySchema,
  SponsorResultSchema,
  StatsSchema,
} from './schemas';
import { dynamoPetitionStore } from './store';
import { petitionNotFound, petitionUseCases } from './use-cases';

const BASE = '/v1/communities/{communityId}/petitions';
const ITEM = `${BASE}/{petitionId}`;

const storeFor = (request: RouteRequest): PetitionStore =>
  dynamoPetitionStore(documentClient(request.config), request.config.tableName);

const staff = (request: RouteRequest): boolean =>
  hasRole(request.actor, Role.moderator) || hasRole(request.actor, Role.council);

const useCasesFor = (request: RouteRequest) =>
  petitionUseCases(storeFor(request), undefined, request.config.tableName);

const viewFor = (request: RouteRequest) => (petition: Petition) =>
  petitionView(petition, { ...(request.actor ? { actor: request.actor } : {}), staff: staff(request) });

/** The petition's view, 200. */
const viewed = (request: RouteRequest) => (petition: Petition) => ({
  status: 200,
  body: viewFor(request)(petition),
});

const PETITION_ERRORS: readonly ProblemCode[] = ['community_not_found', 'petition_not_found'];

/** The 400 of paper signatures sent without a usable `Idempotency-Key`. */
const idempotencyKeyRequired = (): DomainError => ({
  code: 'idempotency_key_required',
  message: text(
    'Кожна пачка паперових підписів має свій ключ у заголовку Idempotency-Key (8–128 латинських літер, цифр, «.», «_», «:» чи «-», напр. UUID). Повтор із тим самим ключем не додасть підписи вдруге.',
    'Each batch of paper signatures carries its own key in the Idempotency-Key header (8 to 128 letters, digits, ".", "_", ":" or "-", e.g. a UUID). Sent again with the same key, it is not counted twice.',
  ),
  details: {
    errors: [
      { pointer: `/header/${IDEMPOTENCY_KEY_HEADER}`, detail: 'required: 8–128 of A-Z a-z 0-9 . _ : -' },
    ],
  },
});

/**
 * Petitions as the signing path sees them: up to two seconds old. What can
 * change meanwhile is harmless: a petition that closed takes a few late
 * signatures the tally never counts (signedAt is after closesAt), a freshly
 * hidden one a few that no longer matter.
 */
const signingPetitions = ttlCache<Petition | undefined>(2_000);

const routes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: BASE,
    auth: 'user',
    operationId: 'createPetition',
    summary: 'Start a petition (resident); returns it with the sponsor link token',
    params: PetitionsPathSchema,
    body: CreatePetitionBodySchema,
    responses: { 201: { description: 'The new draft', schema: PetitionViewSchema } },
    errors: ['community_not_found', 'not_eligible', 'unknown_district', 'rate_limited'],
    handle: limitedBy(LimitedAction.petitionCreate, async (request) => {
      const { command, community } = userScope(request);
      return answer(await useCasesFor(request).create(command, community, request.body), (petition) =>
        created(ITEM, { communityId: community.id, petitionId: petition.id }, viewFor(request)(petition)),
      );
    }),
  }),

  defineRoute({
    method: 'GET',
    path: BASE,
    auth: 'public',
    operationId: 'listPetitions',
    summary:
      'Published petitions: filter by state, district, category, words; sort by signatures, newest, closing',
    description:
      'A page may hold fewer than `limit` petitions when filters apply; follow `cursor` until it is absent. ' +
      'Only published states (open, closed, rejected, hidden) are listed here.',
    params: PetitionsPathSchema,
    query: ListPetitionsQuerySchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'A page of petitions', schema: PetitionListSchema } },
    errors: ['community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { state, sort, district, category, q, limit, cursor } = request.query;
      const page = await storeFor(request).list({
        communityId: (request.community as Community).id,
        state,
        sort,
        limit,
        ...(district ? { districtId: district } : {}),
        ...(category ? { category } : {}),
        ...(q ? { q } : {}),
        ...(cursor ? { cursor } : {}),
      });
      return {
        status: 200,
        body: pageBody(page, viewFor(request)),
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BASE}/mine`,
    auth: 'user',
    operationId: 'listMyPetitions',
    summary: "The caller's own petitions in every state, newest first, with their sponsor links",
    params: PetitionsPathSchema,
    query: PageQuerySchema,
    responses: { 200: { description: 'A page of the petitions', schema: PetitionListSchema } },
    errors: ['community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const page = await storeFor(request).byAuthor(
        community.id,
        command.actor.signerKey,
        pageRequest(request.query),
      );
      return {
        status: 200,
        body: pageBody(page, viewFor(request)),
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: ITEM,
    auth: 'public',
    operationId: 'getPetition',
    summary: 'A petition with its counts, thresholds and response',
    description: 'A petition still gathering sponsors is visible with its `sponsorToken` only.',
    params: PetitionPathSchema,
    query: PetitionGetQuerySchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'The petition', schema: PetitionViewSchema } },
    errors: PETITION_ERRORS,
    handle: async (request) => {
      const community = request.community as Community;
      const petition = await storeFor(request).get(community.id, request.params.petitionId);
      const viaSponsorLink =
        petition?.state === 'gathering_sponsors' &&
        sameSecret(request.query.sponsorToken, petition.sponsorToken);
      if (!petition || !(PUBLIC_STATES.has(petition.state) || viaSponsorLink)) {
        return { error: petitionNotFound(request.params.petitionId) };
      }
      return viewed(request)(petition);
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/sponsors`,
    auth: 'user',
    operationId: 'sponsorPetition',
    summary: "Sponsor a petition with the author's link (eligible resident)",
    params: PetitionPathSchema,
    body: SponsorBodySchema,
    responses: {
      201: { description: 'Sponsored', schema: SponsorResultSchema },
      200: { description: 'Already sponsored by this person', schema: SponsorResultSchema },
    },
    errors: [
      ...PETITION_ERRORS,
      'not_eligible',
      'invalid_sponsor_token',
      'author_cannot_sponsor',
      'invalid_state',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const { petitionId } = request.params;
      return answer(
        await useCasesFor(request).sponsor(command, community, petitionId, request.body.sponsorToken),
        ({ petition, alreadySponsored }) => ({
          status: alreadySponsored ? 200 : 201,
          body: { alreadySponsored, petition: viewFor(request)(petition) },
        }),
      );
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/submit`,
    auth: 'user',
    operationId: 'submitPetition',
    summary: 'Send a draft on: to sponsors, to moderation, or open (author)',
    params: PetitionPathSchema,
    responses: { 200: { description: 'The petition', schema: PetitionViewSchema } },
    errors: [...PETITION_ERRORS, 'not_author', 'invalid_state', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      return answer(
        await useCasesFor(request).submit(command, community, request.params.petitionId),
        viewed(request),
      );
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/signatures`,
    auth: 'user',
    operationId: 'signPetition',
    summary: 'Sign (eligible resident): 201 the first time, 200 alreadySigned after',
    description: 'One conditional write; the count follows within seconds, from the stream tally.',
    params: PetitionPathSchema,
    // The hot path: no role lookup, and settings and petition may be seconds old (see signingPetitions).
    scope: { roles: false, communityCacheMs: 5_000 },
    responses: {
      201: { description: 'Signed', schema: SignResultSchema },
      200: { description: 'Signed before; not counted again', schema: SignResultSchema },
    },
    errors: [...PETITION_ERRORS, 'not_eligible', 'petition_not_open'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const store = storeFor(request);
      const { petitionId } = request.params;
      const petition = await signingPetitions.get(
        `${request.config.tableName}|${community.id}|${petitionId}`,
        () => store.get(community.id, petitionId),
      );
      return answer(await petitionUseCases(store).sign(command, community, petitionId, petition), (signed) =>
        signed.alreadySigned
          ? { status: 200, body: { signed: true, alreadySigned: true } }
          : { status: 201, body: { signed: true, alreadySigned: false, signedAt: signed.signedAt } },
      );
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${ITEM}/signatures/me`,
    auth: 'user',
    operationId: 'getMySignature',
    summary: 'Has the caller signed this petition',
    params: PetitionPathSchema,
    responses: { 200: { description: 'Whether and when', schema: MySignatureSchema } },
    errors: PETITION_ERRORS,
    handle: async (request) => {
      const { command, community } = userScope(request);
      const loaded = await useCasesFor(request).visible(
        command.actor,
        community.id,
        request.params.petitionId,
      );
      if (!loaded.ok) return loaded;
      const signature = await storeFor(request).signatureOf(
        community.id,
        loaded.value.id,
        command.actor.signerKey,
      );
      return {
        status: 200,
        body: signature ? { signed: true, signedAt: signature.signedAt } : { signed: false },
      };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/response`,
    auth: 'user',
    operationId: 'answerPetition',
    summary: "The council's official answer",
    params: PetitionPathSchema,
    body: ResponseBodySchema,
    responses: { 200: { description: 'The petition with its response', schema: PetitionViewSchema } },
    errors: [...PETITION_ERRORS, 'forbidden', 'already_answered', 'invalid_state', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      return answer(
        await useCasesFor(request).answer(command, community.id, request.params.petitionId, request.body),
        viewed(request),
      );
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/offline-signatures`,
    auth: 'user',
    operationId: 'addOfflineSignatures',
    summary: 'Add verified paper signatures (council); counted apart from online ones',
    description:
      'Each batch carries its own key in the `Idempotency-Key` header (required: 8 to 128 letters, digits, ' +
      '`.`, `_`, `:` or `-`; a UUID will do; 400 `idempotency_key_required` without one). The batch is recorded ' +
      'under its key, per petition, in the same write as the count, so a batch is counted once however often ' +
      'it is sent: sent again with the same key and body (a lost answer, a double click), it is answered 200 ' +
      'with the petition as it is now and `Idempotent-Replayed: true`, adding nothing; with the same key and ' +
      'another body, 422 `idempotency_key_reused`. Keys do not expire: the batches are the record of what ' +
      'was counted.',
    params: PetitionPathSchema,
    body: OfflineSignaturesBodySchema,
    responses: { 200: { description: 'The petition with its new counts', schema: PetitionViewSchema } },
    errors: [
      ...PETITION_ERRORS,
      'forbidden',
      'invalid_state',
      'version_conflict',
      'idempotency_key_required',
      'idempotency_key_reused',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const { petitionId } = request.params;
      const key = IdempotencyKeySchema.safeParse(request.headers[IDEMPOTENCY_KEY_HEADER]);
      if (!key.success) return { error: idempotencyKeyRequired() };
      const { count, note } = request.body;
      const batch = { id: key.data, count, ...(note ? { note } : {}) };
      return answer(
        await useCasesFor(request).addPaperSignatures(command, community.id, petitionId, batch),
        ({ petition, replayed }) => ({
          status: 200,
          body: viewFor(request)(petition),
          ...(replayed ? { headers: { 'idempotent-replayed': 'true' } } : {}),
        }),
      );
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${ITEM}/stats`,
    auth: 'public',
    operationId: 'getPetitionStats',
    summary: 'Signatures by district and by day (counts only, no personal data)',
    params: PetitionPathSchema,
    cache: { maxAgeSeconds: 60 },
    responses: { 200: { description: 'The counts', schema: StatsSchema } },
    errors: PETITION_ERRORS,
    handle: async (request) => {
      const community = request.community as Community;
      const store = storeFor(request);
      const petition = await store.get(community.id, request.params.petitionId);
      if (!petition || !PUBLIC_STATES.has(petition.state))
        return { error: petitionNotFound(request.params.petitionId) };
      const stats = await store.stats(community.id, petition.id);
      return {
        status: 200,
        body: {
          petitionId: petition.id,
          signatureCount: {
            online: petition.signatureCount,
            offline: petition.offlineSignatureCount,
            total: totalSignatures(petition),
          },
          ...stats,
        },
      };
    },
  }),
];

/** The petitions tool: lifecycle, signatures, answers. Counting is the stream tally's. */
export const petitionsTool: ToolDefinition = {
  name: 'petitions',
  entry: 'functions/petitions/http.ts',
  routes,
  tableActions: TABLE_READ_WRITE,
  indexes: ['GSI1', 'GSI2', 'GSI3'],
};
