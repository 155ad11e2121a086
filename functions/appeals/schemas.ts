import { z } from 'zod';
import {
  APPEAL_STATUSES,
  APPEAL_TYPES,
  type Appeal,
  type AppealStatus,
  type AppealType,
  STATUS_LABELS,
} from '../../domain/appeals/appeal';
import {
  type Publication,
  VISIBILITIES,
  VISIBILITY_LABELS,
  type Visibility,
} from '../../domain/appeals/publication';
import { REFUSAL_CODES, refusalReason } from '../../domain/appeals/refusals';
import { APPEAL_KINDS, type AppealKind, PersonSchema } from '../../domain/appeals/settings';
import { freeText } from '../../domain/shared/free-text';
import { text, validationMessage } from '../../domain/shared/localized';
import { CommunityIdSchema } from '../communities/schemas';
import { PageQuerySchema } from '../shared/pagination';

const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const Kind = z.enum(APPEAL_KINDS as [AppealKind, ...AppealKind[]]);
const Status = z.enum(APPEAL_STATUSES as [AppealStatus, ...AppealStatus[]]);
const Localized = z.object({ uk: z.string(), en: z.string() });

export const AppealsPathSchema = z.object({ communityId: CommunityIdSchema });
export const AppealPathSchema = z.object({ communityId: CommunityIdSchema, appealId: Ulid });

const issue = (path: string, uk: string, en: string) => ({
  code: 'custom' as const,
  path: [path],
  message: validationMessage(text(uk, en)),
});

/** What a resident submits; which fields a kind needs is checked here, so the command gets a whole item. */
export const SubmitAppealBodySchema = z
  .object({
    kind: Kind,
    categoryId: Slug,
    title: freeText({ min: 1, max: 200, multiline: false }),
    text: freeText({ min: 1, max: 10_000, multiline: true }),
    appealType: z.enum(APPEAL_TYPES as [AppealType, ...AppealType[]]).optional(),
    location: z
      .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
      .strict()
      .optional(),
    photoUrl: z
      .url({ protocol: /^https$/ })
      .max(2000)
      .optional(),
  })
  .strict()
  .superRefine((body, context) => {
    if (body.kind === 'appeal' && !body.appealType) {
      context.addIssue(
        issue(
          'appealType',
          'Вкажіть вид звернення: proposal, statement чи complaint.',
          'Say what the appeal is: proposal, statement or complaint.',
        ),
      );
    }
    if (body.kind !== 'appeal' && body.appealType) {
      context.addIssue(
        issue('appealType', 'appealType — лише для звернень.', 'appealType is for appeals only.'),
      );
    }
    if (body.kind === 'issue_report' && !body.location) {
      context.addIssue(
        issue('location', 'Позначте місце проблеми (lat, lon).', 'Mark where the problem is (lat, lon).'),
      );
    }
    if (body.kind !== 'issue_report' && (body.location || body.photoUrl)) {
      context.addIssue(
        issue(
          'location',
          'Місце й фото — лише для повідомлень про проблеми.',
          'A location and a photo are for issue reports only.',
        ),
      );
    }
  });

/** `officer.issuer` defaults to the caller's: a community usually trusts one provider (as memberships do). */
export const AssignBodySchema = z
  .object({
    officer: z
      .object({ subject: PersonSchema.shape.subject, issuer: PersonSchema.shape.issuer.optional() })
      .strict()
      .optional(),
    unitId: Slug.optional(),
  })
  .strict()
  .refine((body) => body.officer !== undefined || body.unitId !== undefined, {
    error: validationMessage(text('Вкажіть officer або unitId.', 'Name an officer or a unitId.')),
  });

export const StartBodySchema = z.object({ noFurtherStudy: z.boolean().optional() }).strict().optional();

export const ExtendBodySchema = z
  .object({ reason: freeText({ min: 1, max: 2000, multiline: true }), dueOn: z.iso.date().optional() })
  .strict();

export const AnswerBodySchema = z
  .object({ text: freeText({ min: 1, max: 20_000, multiline: true }) })
  .strict();

export const RefuseBodySchema = z
  .object({
    reasonCode: z.enum(REFUSAL_CODES as [string, ...string[]]),
    text: freeText({ min: 1, max: 10_000, multiline: true }),
    previousAppealId: Ulid.optional(),
  })
  .strict();

export const ForwardBodySchema = z
  .object({
    body: freeText({ min: 1, max: 300, multiline: false }),
    note: freeText({ max: 2000, multiline: true }).optional(),
  })
  .strict();

export const StaffListQuerySchema = PageQuerySchema.extend({
  unit: Slug.optional(),
  status: Status.optional(),
  kind: Kind.optional(),
  /** `open` (by due day, overdue first) or `closed` (newest first); a status picks its own. */
  state: z.enum(['open', 'closed']).optional(),
  /** `true`: only open items whose due day has passed (before today's Kyiv day), the earliest due first. */
  overdue: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

export const PublicListQuerySchema = PageQuerySchema.extend({
  kind: z.enum(['information_request', 'issue_report']).default('information_request'),
});

const TimelineEntrySchema = z.object({
  status: Status,
  label: Localized,
  at: z.string(),
  note: Localized.optional(),
});

export const AppealViewSchema = z.object({
  id: z.string(),
  communityId: z.string(),
  kind: Kind,
  number: z.string(),
  categoryId: z.string(),
  unitId: z.string(),
  appealType: z.string().optional(),
  title: z.string(),
  text: z.string(),
  location: z.object({ lat: z.number(), lon: z.number() }).optional(),
  photoUrl: z.string().optional(),
  status: Status,
  statusLabel: Localized,
  timeline: z.array(TimelineEntrySchema),
  submittedAt: z.string().optional(),
  registeredOn: z.string(),
  dueOn: z.string(),
  noFurtherStudy: z.boolean().optional(),
  extension: z
    .object({ reason: z.string(), previousDue: z.string(), dueOn: z.string(), at: z.string() })
    .optional(),
  answer: z.object({ text: z.string(), at: z.string() }).optional(),
  refusal: z
    .object({
      reasonCode: z.string(),
      reason: Localized,
      text: z.string(),
      at: z.string(),
      previousAppealId: z.string().optional(),
    })
    .optional(),
  forwardedTo: z.object({ body: z.string(), note: z.string().optional(), at: z.string() }).optional(),
  /** Public items: the category's names. */
  category: Localized.optional(),
  /** Issue reports, to their author and the staff: whether the public sees it, as the moderators decided. */
  publication: z
    .object({
      visibility: z.enum(VISIBILITIES as [Visibility, ...Visibility[]]),
      label: Localized,
      reasonCode: z.string().optional(),
    })
    .optional(),
  /** Staff only: who wrote it and who answers it. */
  author: PersonSchema.optional(),
  assignee: PersonSchema.optional(),
  version: z.int().optional(),
});
export type AppealView = z.infer<typeof AppealViewSchema>;

export const AppealListSchema = z.object({ items: z.array(AppealViewSchema), cursor: z.string().optional() });

const timelineView = (appeal: Appeal) =>
  appeal.timeline.map((entry) => ({
    status: entry.status,
    label: STATUS_LABELS[entry.status],
    at: entry.at,
    ...(entry.note ? { note: entry.note } : {}),
  }));

/** What everyone sees of a public item: the question and what became of it, never who asked or who answered. */
export function publicAppealView(appeal: Appeal): AppealView {
  return {
    id: appeal.id,
    communityId: appeal.communityId,
    kind: appeal.kind,
    number: appeal.number,
    categoryId: appeal.categoryId,
    unitId: appeal.unitId,
    title: appeal.title,
    text: appeal.text,
    ...(appeal.location ? { location: appeal.location } : {}),
    ...(appeal.photoUrl ? { photoUrl: appeal.photoUrl } : {}),
    status: appeal.status,
    statusLabel: STATUS_LABELS[appeal.status],
    timeline: timelineView(appeal),
    registeredOn: appeal.registeredOn,
    dueOn: appeal.dueOn,
    ...(appeal.extension ? { extension: appeal.extension } : {}),
    ...(appeal.answer ? { answer: appeal.answer } : {}),
  };
}

const publicationView = (publication: Publication) => ({
  visibility: publication.visibility,
  label: VISIBILITY_LABELS[publication.visibility],
  ...(publication.decision?.reasonCode ? { reasonCode: publication.decision.reasonCode } : {}),
});

/** What the author and the staff see; `staff` adds the author and the assignee. */
export function appealView(appeal: Appeal, staff: boolean): AppealView {
  const refusal = appeal.refusal;
  return {
    ...publicAppealView(appeal),
    ...(appeal.appealType ? { appealType: appeal.appealType } : {}),
    submittedAt: appeal.submittedAt,
    ...(appeal.noFurtherStudy ? { noFurtherStudy: true } : {}),
    ...(refusal
      ? {
          refusal: {
            ...refusal,
            reason:
              refusalReason(appeal.kind, refusal.reasonCode) ?? text(refusal.reasonCode, refusal.reasonCode),
          },
        }
      : {}),
    ...(appeal.forwardedTo ? { forwardedTo: appeal.forwardedTo } : {}),
    ...(appeal.publication ? { publication: publicationView(appeal.publication) } : {}),
    ...(staff ? { author: appeal.author, ...(appeal.assignee ? { assignee: appeal.assignee } : {}) } : {}),
    version: appeal.version,
  };
}
