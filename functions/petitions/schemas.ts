import { z } from 'zod';
import type { Actor } from '../../domain/identity/actor';
import { shownOfSubject } from '../../domain/moderation/withheld';
import { isAuthor } from '../../domain/petitions/permissions';
import {
  PETITION_STATES,
  type Petition,
  PetitionState,
  PUBLIC_STATES,
  ResponseDecision,
  ResponseState,
  totalSignatures,
} from '../../domain/petitions/petition';
import { freeText } from '../../domain/shared/free-text';
import { text, validationMessage } from '../../domain/shared/localized';
import { CommunityIdSchema } from '../communities/schemas';
import { authorDecisionView } from '../moderation/schemas';
import { PageQuerySchema } from '../shared/pagination';

const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

export const PetitionsPathSchema = z.object({ communityId: CommunityIdSchema });
export const PetitionPathSchema = z.object({ communityId: CommunityIdSchema, petitionId: Ulid });

export const CreatePetitionBodySchema = z
  .object({
    title: freeText({ min: 10, max: 200, multiline: false }),
    text: freeText({ min: 1, max: 10_000, multiline: true }),
    category: Slug.optional(),
    districtId: Slug.optional(),
  })
  .strict();

export const SponsorBodySchema = z.object({ sponsorToken: z.string().min(1).max(64) }).strict();

export const ResponseBodySchema = z
  .object({
    text: freeText({ min: 1, max: 20_000, multiline: true }),
    decision: z.enum(Object.values(ResponseDecision) as [ResponseDecision, ...ResponseDecision[]]),
    documentUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .strict();

export const OfflineSignaturesBodySchema = z
  .object({
    count: z.int().min(1).max(1_000_000),
    note: freeText({ max: 2000, multiline: true }).optional(),
  })
  .strict();

/** The header that names a batch of paper signatures (as in Stripe's API and the IETF `Idempotency-Key` draft). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** A batch's `Idempotency-Key`: 8 to 128 letters, digits, `.`, `_`, `:` or `-` (a UUID will do). */
export const IdempotencyKeySchema = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/);

/**
 * The public list: published states only, and `sort=closing` (the order of
 * closing dates) only for open petitions, which alone still have one ahead.
 */
export const ListPetitionsQuerySchema = PageQuerySchema.extend({
  state: z.enum(PETITION_STATES as [PetitionState, ...PetitionState[]]).default(PetitionState.open),
  sort: z.enum(['signatures', 'newest', 'closing']).default('newest'),
  district: Slug.optional(),
  category: Slug.optional(),
  q: freeText({ min: 1, max: 100, multiline: false }).optional(),
}).superRefine((query, context) => {
  if (PUBLIC_STATES.has(query.state) && (query.sort !== 'closing' || query.state === PetitionState.open))
    return;
  context.addIssue({
    code: 'custom',
    path: ['state'],
    message: validationMessage(
      text(
        'Публічний список показує лише оприлюднені петиції; сортування closing — лише для state=open.',
        'The public list shows published petitions only; sort=closing needs state=open.',
      ),
    ),
  });
});

export const PetitionGetQuerySchema = z.object({ sponsorToken: z.string().max(64).optional() });

const Localized = z.object({ uk: z.string(), en: z.string() });

export const PetitionViewSchema = z
  .object({
    id: z.string(),
    communityId: z.string(),
    /** null when a moderator withheld the content (offensive, personal data, unlawful, spam, reports). */
    title: z.string().nullable(),
    /** null when a moderator withheld the content, as the title. */
    text: z.string().nullable(),
    /** The content is withheld from the public: title, text and the moderator's note (the author and staff see them). */
    textHidden: z.boolean(),
    category: z.string().optional(),
    districtId: z.string().optional(),
    state: z.enum(PETITION_STATES as [PetitionState, ...PetitionState[]]),
    responseState: z.enum(Object.values(ResponseState) as [ResponseState, ...ResponseState[]]),
    sponsorsNeeded: z.int(),
    sponsorCount: z.int(),
    /** Only in the author's own view. */
    sponsorToken: z.string().optional(),
    createdAt: z.string(),
    submittedAt: z.string().optional(),
    openedAt: z.string().optional(),
    closesAt: z.string().optional(),
    closedAt: z.string().optional(),
    signatureCount: z.object({ online: z.int(), offline: z.int(), total: z.int() }),
    thresholds: z.array(
      z.object({ name: z.string(), signatures: z.int(), reachedAt: z.string().nullable() }),
    ),
    moderation: z
      .object({
        decision: z.string(),
        reasonCode: z.string().optional(),
        reason: Localized.optional(),
        note: z.string().optional(),
        decidedAt: z.string(),
      })
      .optional(),
    response: z
      .object({
        text: z.string(),
        decision: z.string(),
        documentUrl: z.string().optional(),
        answeredAt: z.string(),
      })
      .optional(),
    version: z.int(),
  })
  .meta({ id: 'Petition' });

export type PetitionView = z.infer<typeof PetitionViewSchema>;

export const PetitionListSchema = z.object({
  items: z.array(PetitionViewSchema),
  cursor: z.string().optional(),
});

export const SignResultSchema = z.object({
  signed: z.literal(true),
  alreadySigned: z.boolean(),
  signedAt: z.string().optional(),
});
export const MySignatureSchema = z.object({ signed: z.boolean(), signedAt: z.string().optional() });
export const SponsorResultSchema = z.object({ alreadySponsored: z.boolean(), petition: PetitionViewSchema });
export const StatsSchema = z.object({
  petitionId: z.string(),
  signatureCount: z.object({ online: z.int(), offline: z.int(), total: z.int() }),
  byDistrict: z.record(z.string(), z.int()),
  byDay: z.record(z.string(), z.int()),
});

/**
 * What a caller may see of a petition: the author also gets the sponsor link;
 * nobody sees the author's key; withheld content (title, text, the
 * moderator's note: `shownOfSubject`) is for the author and the staff only.
 */
export function petitionView(petition: Petition, viewer: { actor?: Actor; staff: boolean }): PetitionView {
  const author = isAuthor(viewer.actor, petition);
  const shown = shownOfSubject(petition.textHidden, { author, staff: viewer.staff });
  const moderation = petition.moderation;
  return {
    id: petition.id,
    communityId: petition.communityId,
    title: shown.content ? petition.title : null,
    text: shown.content ? petition.text : null,
    textHidden: petition.textHidden,
    ...(petition.category ? { category: petition.category } : {}),
    ...(petition.districtId ? { districtId: petition.districtId } : {}),
    state: petition.state,
    responseState: petition.responseState,
    sponsorsNeeded: petition.sponsorsNeeded,
    sponsorCount: petition.sponsorCount,
    ...(author ? { sponsorToken: petition.sponsorToken } : {}),
    createdAt: petition.createdAt,
    ...(petition.submittedAt ? { submittedAt: petition.submittedAt } : {}),
    ...(petition.openedAt ? { openedAt: petition.openedAt } : {}),
    ...(petition.closesAt ? { closesAt: petition.closesAt } : {}),
    ...(petition.closedAt ? { closedAt: petition.closedAt } : {}),
    signatureCount: {
      online: petition.signatureCount,
      offline: petition.offlineSignatureCount,
      total: totalSignatures(petition),
    },
    thresholds: petition.thresholds.map((threshold) => ({
      name: threshold.name,
      signatures: threshold.signatures,
      reachedAt: petition.thresholdsReached[threshold.name]?.reachedAt ?? null,
    })),
    ...(moderation
      ? { moderation: authorDecisionView(moderation, shown.note ? moderation.note : undefined) }
      : {}),
    ...(petition.response
      ? {
          response: {
            text: petition.response.text,
            decision: petition.response.decision,
            ...(petition.response.documentUrl ? { documentUrl: petition.response.documentUrl } : {}),
            answeredAt: petition.response.answeredAt,
          },
        }
      : {}),
    version: petition.version,
  };
}
