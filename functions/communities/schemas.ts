import { z } from 'zod';
import { MAX_OFFICER_UNITS } from '../../domain/communities/commands/set-member-roles';
import { COMMUNITY_ID_PATTERN, type Community, type Membership } from '../../domain/communities/community';
import { CommunitySettingsPatchSchema, CommunitySettingsSchema } from '../../domain/communities/settings';
import { ROLES } from '../../domain/identity/actor';
import { text, validationMessage } from '../../domain/shared/localized';
import { issuerFits, subjectFits } from '../shared/auth/claims';
import { PageQuerySchema } from '../shared/pagination';

/** An identity provider's issuer, as its tokens name it: bounded as tokens' `iss` are. */
const IssuerSchema = z
  .string()
  .min(1)
  .refine(issuerFits, {
    error: validationMessage(
      text(
        'видавець задовгий для ідентифікатора особи',
        'the issuer is longer than any identity provider issues',
      ),
    ),
  });
/** A person's `sub` claim, as their identity provider issues it: bounded as tokens' `sub` are. */
const SubjectSchema = z
  .string()
  .min(1)
  .refine(subjectFits, {
    error: validationMessage(
      text(
        'ідентифікатор особи (sub) задовгий',
        'the subject (sub) is longer than any identity provider issues',
      ),
    ),
  });

export const CommunityIdSchema = z.string().regex(COMMUNITY_ID_PATTERN);

export const CommunityPathSchema = z.object({ communityId: CommunityIdSchema });

export const MemberPathSchema = z.object({
  communityId: CommunityIdSchema,
  subject: SubjectSchema,
});

export const CreateCommunityBodySchema = z
  .object({
    id: CommunityIdSchema,
    settings: CommunitySettingsSchema,
    /** The first council; `issuer` defaults to the caller's issuer. */
    council: z
      .array(z.object({ subject: SubjectSchema, issuer: IssuerSchema.optional() }).strict())
      .min(1)
      .max(50),
  })
  .strict();

export const UpdateSettingsBodySchema = CommunitySettingsPatchSchema;

/** A unit id of the reception's settings (`settings.appeals.units`). */
const UnitIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

export const PutMemberBodySchema = z
  .object({
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    /**
     * The units an officer handles (required with `officer`, refused without it);
     * the command checks them against the settings.
     */
    units: z.array(UnitIdSchema).max(MAX_OFFICER_UNITS).optional(),
    /** Defaults to the caller's issuer: a community usually trusts one provider. */
    issuer: IssuerSchema.optional(),
  })
  .strict();

export const MemberQuerySchema = z.object({ issuer: IssuerSchema.optional() });

export const MembersQuerySchema = PageQuerySchema;

export const CommunityViewSchema = z
  .object({
    id: z.string(),
    settings: CommunitySettingsSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
  })
  .meta({ id: 'Community' });

export const MembershipViewSchema = z
  .object({
    communityId: z.string(),
    issuer: z.string(),
    subject: z.string(),
    roles: z.array(z.enum(ROLES)),
    /** Officers only: the units of the internet reception they handle. */
    units: z.array(z.string()).optional(),
    grantedBy: z.string(),
    grantedAt: z.string(),
  })
  .meta({ id: 'Membership' });

export const MemberListSchema = z.object({
  items: z.array(MembershipViewSchema),
  cursor: z.string().optional(),
});

/** The public view of a community: everything but who created it. */
export function communityView(community: Community): z.infer<typeof CommunityViewSchema> {
  return {
    id: community.id,
    settings: community.settings,
    createdAt: community.createdAt,
    updatedAt: community.updatedAt,
    version: community.version,
  };
}

export function membershipView(member: Membership): z.infer<typeof MembershipViewSchema> {
  const { units, ...rest } = member;
  return { ...rest, roles: [...member.roles], ...(units ? { units: [...units] } : {}) };
}
