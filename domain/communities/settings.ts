import { z } from 'zod';
import { AppealSettingsPatchSchema, AppealSettingsSchema, mergeAppealSettings } from '../appeals/settings';
import { freeText } from '../shared/free-text';
import { LOCALES, text, validationMessage } from '../shared/localized';
import { mergeRateLimits, RateLimitPatchSchema, RateLimitSettingsSchema } from './limits';

/** How a tool's submissions reach the public: `pre` waits for a moderator, `post` shows at once. */
export const ModerationMode = { pre: 'pre', post: 'post' } as const;
export type ModerationMode = (typeof ModerationMode)[keyof typeof ModerationMode];

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

const Name = freeText({ min: 1, max: 200, multiline: false });

export const LocalizedNameSchema = z.strictObject({ uk: Name, en: Name });

export const DistrictSchema = z.strictObject({
  id: Slug,
  names: LocalizedNameSchema,
});

/** A web origin as a browser sends it: scheme, host and optional port, nothing else. */
const Origin = z.string().regex(/^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/i, {
  error: validationMessage(
    text(
      'має бути origin, напр. https://rada.example.ua',
      'must be an origin such as https://rada.example.ua',
    ),
  ),
});

export const PetitionThresholdSchema = z.strictObject({
  /** `response` obliges the council to answer; a community may add more (e.g. `hearing`). */
  name: Slug,
  signatures: z.int().min(1).max(10_000_000),
});

/** The rules of each field, without defaults: a patch must not fill in what it does not mention. */
const petitionFields = {
  thresholds: z
    .array(PetitionThresholdSchema)
    .min(1)
    .max(5)
    .refine((list) => list.some((t) => t.name === 'response'), {
      error: validationMessage(
        text('один поріг має називатися "response"', 'one threshold must be named "response"'),
      ),
    })
    .refine((list) => new Set(list.map((t) => t.name)).size === list.length, {
      error: validationMessage(
        text('назви порогів мають бути унікальними', 'threshold names must be unique'),
      ),
    }),
  durationDays: z.int().min(1).max(365),
  sponsorsNeeded: z.int().min(0).max(1000),
  minimumAge: z.int().min(14).max(120),
};

export const PetitionSettingsSchema = z.strictObject({
  thresholds: petitionFields.thresholds.default([{ name: 'response', signatures: 250 }]),
  durationDays: petitionFields.durationDays.default(90),
  sponsorsNeeded: petitionFields.sponsorsNeeded.default(0),
  minimumAge: petitionFields.minimumAge.default(16),
});

/** Days personal data is kept after a petition closes, a budget's results or a consultation's report are published. */
export const DEFAULT_RETENTION_DAYS = 180;
/**
 * The shortest retention a community may set: the retention job looks back
 * this far for subjects that may be due, so it is its horizon too. Thirty days
 * leave room for appeals and a recount after a close.
 */
export const MIN_RETENTION_DAYS = 30;
/** Ten years: longer than any archive rule asks of e-participation data. */
export const MAX_RETENTION_DAYS = 3650;
const retentionDays = z.int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS);

const moderationModes = z.enum([ModerationMode.pre, ModerationMode.post]);

export const ModerationSettingsSchema = z.strictObject({
  petitions: moderationModes.default(ModerationMode.pre),
  consultations: moderationModes.default(ModerationMode.post),
  budgets: moderationModes.default(ModerationMode.pre),
  /** Issue reports of the internet reception: public only after approval by default. */
  issueReports: moderationModes.default(ModerationMode.pre),
});

/**
 * A community's settings: one typed object, every field with a default, so a
 * community created with only its names is fully usable.
 */
export const CommunitySettingsSchema = z
  .strictObject({
    names: LocalizedNameSchema,
    districts: z.array(DistrictSchema).max(200).default([]),
    corsOrigins: z.array(Origin).max(20).default([]),
    petitions: PetitionSettingsSchema.default(PetitionSettingsSchema.parse({})),
    moderation: ModerationSettingsSchema.default(ModerationSettingsSchema.parse({})),
    reportsBeforeHide: z.int().min(1).max(100).default(3),
    moderationSlaDays: z.int().min(1).max(60).default(5),
    /** Per-resident limits on petitions, comments, reports, survey answers and projects (`./limits.ts`). */
    limits: RateLimitSettingsSchema.default(RateLimitSettingsSchema.parse({})),
    retentionDays: retentionDays.default(DEFAULT_RETENTION_DAYS),
    /** The internet reception: units, categories, working calendar, deadlines (`../appeals/settings.ts`). */
    appeals: AppealSettingsSchema.default(AppealSettingsSchema.parse({})),
    locales: z
      .array(z.enum(LOCALES))
      .min(1)
      .refine((list) => new Set(list).size === list.length, {
        error: validationMessage(text('мови не мають повторюватися', 'locales must be unique')),
      })
      .default([...LOCALES]),
  })
  .refine((s) => new Set(s.districts.map((d) => d.id)).size === s.districts.length, {
    error: validationMessage(
      text('ідентифікатори округів мають бути унікальними', 'district ids must be unique'),
    ),
    path: ['districts'],
  });

export type CommunitySettings = z.infer<typeof CommunitySettingsSchema>;
export type CommunitySettingsInput = z.input<typeof CommunitySettingsSchema>;

/**
 * A settings change: any top-level field, and any field of the nested groups.
 * Arrays (districts, thresholds, origins, locales) are replaced whole.
 */
export const CommunitySettingsPatchSchema = z
  .object({
    names: LocalizedNameSchema,
    districts: z.array(DistrictSchema).max(200),
    corsOrigins: z.array(Origin).max(20),
    petitions: z.object(petitionFields).partial().strict(),
    moderation: z
      .object({
        petitions: moderationModes,
        consultations: moderationModes,
        budgets: moderationModes,
        issueReports: moderationModes,
      })
      .partial()
      .strict(),
    reportsBeforeHide: z.int().min(1).max(100),
    moderationSlaDays: z.int().min(1).max(60),
    limits: RateLimitPatchSchema,
    retentionDays,
    appeals: AppealSettingsPatchSchema,
    locales: z.array(z.enum(LOCALES)).min(1),
  })
  .partial()
  .strict();

export type CommunitySettingsPatch = z.infer<typeof CommunitySettingsPatchSchema>;

/** Applies a patch; the caller validates the result with {@link CommunitySettingsSchema}. */
export function mergeSettings(
  current: CommunitySettings,
  patch: CommunitySettingsPatch,
): CommunitySettingsInput {
  return {
    ...current,
    ...patch,
    petitions: { ...current.petitions, ...patch.petitions },
    moderation: { ...current.moderation, ...patch.moderation },
    limits: mergeRateLimits(current.limits, patch.limits),
    appeals: mergeAppealSettings(current.appeals, patch.appeals),
  };
}

/** Top-level keys whose value differs, for events and the audit trail. */
export function changedSettingKeys(before: CommunitySettings, after: CommunitySettings): string[] {
  return (Object.keys(after) as (keyof CommunitySettings)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}
