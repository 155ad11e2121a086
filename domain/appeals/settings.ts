import { z } from 'zod';
import { freeText } from '../shared/free-text';
import { text, validationMessage } from '../shared/localized';

/**
 * The internet reception's part of a community's settings: who answers what
 * (structural units and the categories routed to them), the working calendar
 * the deadlines are counted in, and the deadlines themselves. Defaults follow
 * the Law of Ukraine "On Citizens' Appeals" (art. 20) and the Law "On Access to
 * Public Information" (art. 20); a council changes them when the law does.
 */

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const Name = freeText({ min: 1, max: 200, multiline: false });
const Names = z.strictObject({ uk: Name, en: Name });

/** The three kinds of item the reception takes, one skeleton for all. */
export const AppealKind = {
  appeal: 'appeal',
  information_request: 'information_request',
  issue_report: 'issue_report',
} as const;
export type AppealKind = (typeof AppealKind)[keyof typeof AppealKind];
export const APPEAL_KINDS = Object.values(AppealKind);

/** A person named by the identity provider that vouches for them, as a membership is. */
export const PersonSchema = z.strictObject({
  issuer: z.string().min(1).max(512),
  subject: z.string().min(1).max(255),
});

/** A structural unit of the council or its executive bodies; its head reassigns within it. */
export const UnitSchema = z.strictObject({
  id: Slug,
  names: Names,
  head: PersonSchema,
});

export const CategorySchema = z.strictObject({
  id: Slug,
  names: Names,
  /** The unit whose officers answer this category's items. */
  unitId: Slug,
  /** Which kinds of item may choose this category. */
  kinds: z
    .array(z.enum(APPEAL_KINDS))
    .min(1)
    .max(APPEAL_KINDS.length)
    .refine((list) => new Set(list).size === list.length, {
      error: validationMessage(text('види не мають повторюватися', 'kinds must be unique')),
    }),
  /** An issue report's target: working days from registration to an answer (issue reports only). */
  targetWorkingDays: z.int().min(1).max(365).optional(),
});

const IsoDay = z.iso.date();

/**
 * Days are ISO dates in the community's time zone (`Europe/Kyiv`). Weekdays are
 * ISO numbers: 1 is Monday, 7 is Sunday.
 */
export const WorkingCalendarSchema = z.strictObject({
  weekend: z
    .array(z.int().min(1).max(7))
    .max(6)
    .refine((list) => new Set(list).size === list.length, {
      error: validationMessage(text('дні вихідних не мають повторюватися', 'weekend days must be unique')),
    })
    .default([6, 7]),
  /**
   * Public holidays (days off) per year, as the council keeps them. A year not
   * listed gets Ukraine's statutory holidays (`./calendar.ts`); an empty list
   * means no holidays that year (as under martial law, when they are working days).
   */
  holidays: z
    .record(z.string().regex(/^\d{4}$/), z.array(IsoDay).max(60))
    .refine((years) => Object.keys(years).length <= 50, {
      error: validationMessage(text('не більше 50 років', 'at most 50 years')),
    })
    // A day is looked up under its own year; one filed under another year would never count.
    .refine(
      (years) => Object.entries(years).every(([year, days]) => days.every((d) => d.startsWith(`${year}-`))),
      {
        error: validationMessage(
          text(
            'кожен день має належати своєму року',
            'each holiday must belong to the year it is listed under',
          ),
        ),
      },
    )
    .default({}),
  /** Weekend days the government made working days (a day off moved), per ISO date. */
  workingWeekendDays: z.array(IsoDay).max(200).default([]),
});
export type WorkingCalendar = z.infer<typeof WorkingCalendarSchema>;

/** The deadlines, each in its law's unit: calendar days for appeals, working days for information requests. */
export const AppealDeadlinesSchema = z.strictObject({
  /** Appeals: days (calendar) from registration to the answer. */
  appealDays: z.int().min(1).max(90).default(30),
  /** Appeals the officer marks as needing no further study. */
  appealNoStudyDays: z.int().min(1).max(90).default(15),
  /** Appeals: the total, in days from registration, an extension may reach (once). */
  appealMaxDays: z.int().min(1).max(180).default(45),
  /** Information requests: working days from registration to the answer. */
  informationWorkingDays: z.int().min(1).max(60).default(5),
  /** Information requests: the total working days an extension may reach (once). */
  informationMaxWorkingDays: z.int().min(1).max(120).default(20),
  /** Issue reports whose category names no target of its own. */
  issueReportWorkingDays: z.int().min(1).max(365).default(10),
});
export type AppealDeadlines = z.infer<typeof AppealDeadlinesSchema>;

/** Where issue reports may be located: a box of WGS 84 degrees around the community. */
export const BoundsSchema = z
  .strictObject({
    west: z.number().min(-180).max(180),
    south: z.number().min(-90).max(90),
    east: z.number().min(-180).max(180),
    north: z.number().min(-90).max(90),
  })
  .refine((b) => b.west < b.east && b.south < b.north, {
    error: validationMessage(
      text('межі: west < east і south < north', 'bounds need west < east and south < north'),
    ),
  });
export type Bounds = z.infer<typeof BoundsSchema>;

const unitsField = z.array(UnitSchema).max(100);
const categoriesField = z.array(CategorySchema).max(200);

/** Units, categories, calendar and deadlines must agree with each other. */
function consistent(
  value: { units: z.infer<typeof UnitSchema>[]; categories: z.infer<typeof CategorySchema>[] },
  context: z.RefinementCtx,
): void {
  const unitIds = new Set(value.units.map((u) => u.id));
  if (unitIds.size !== value.units.length) {
    context.addIssue({
      code: 'custom',
      path: ['units'],
      message: validationMessage(
        text('ідентифікатори підрозділів мають бути унікальними', 'unit ids must be unique'),
      ),
    });
  }
  if (new Set(value.categories.map((c) => c.id)).size !== value.categories.length) {
    context.addIssue({
      code: 'custom',
      path: ['categories'],
      message: validationMessage(
        text('ідентифікатори категорій мають бути унікальними', 'category ids must be unique'),
      ),
    });
  }
  value.categories.forEach((category, index) => {
    if (!unitIds.has(category.unitId)) {
      context.addIssue({
        code: 'custom',
        path: ['categories', index, 'unitId'],
        message: validationMessage(
          text(
            `категорія "${category.id}" спрямована до невідомого підрозділу "${category.unitId}"`,
            `category "${category.id}" is routed to an unknown unit "${category.unitId}"`,
          ),
        ),
      });
    }
  });
}

const appealsFields = {
  units: unitsField,
  categories: categoriesField,
  calendar: WorkingCalendarSchema,
  deadlines: AppealDeadlinesSchema,
  bounds: BoundsSchema,
};

export const AppealSettingsSchema = z
  .strictObject({
    units: appealsFields.units.default([]),
    categories: appealsFields.categories.default([]),
    calendar: appealsFields.calendar.default(WorkingCalendarSchema.parse({})),
    deadlines: appealsFields.deadlines.default(AppealDeadlinesSchema.parse({})),
    /** Absent: issue reports are not checked against a box (a community sets it to take them). */
    bounds: appealsFields.bounds.optional(),
  })
  .superRefine(consistent)
  .refine((s) => s.deadlines.appealNoStudyDays <= s.deadlines.appealDays, {
    error: validationMessage(
      text('appealNoStudyDays має бути не більше appealDays', 'appealNoStudyDays must be at most appealDays'),
    ),
    path: ['deadlines', 'appealNoStudyDays'],
  })
  .refine((s) => s.deadlines.appealMaxDays >= s.deadlines.appealDays, {
    error: validationMessage(
      text('appealMaxDays має бути не менше appealDays', 'appealMaxDays must be at least appealDays'),
    ),
    path: ['deadlines', 'appealMaxDays'],
  })
  .refine((s) => s.deadlines.informationMaxWorkingDays >= s.deadlines.informationWorkingDays, {
    error: validationMessage(
      text(
        'informationMaxWorkingDays має бути не менше informationWorkingDays',
        'informationMaxWorkingDays must be at least informationWorkingDays',
      ),
    ),
    path: ['deadlines', 'informationMaxWorkingDays'],
  });
export type AppealSettings = z.infer<typeof AppealSettingsSchema>;

/** A settings patch of the reception: lists are replaced whole, deadlines and calendar field by field. */
export const AppealSettingsPatchSchema = z
  .object({
    units: unitsField,
    categories: categoriesField,
    calendar: z
      .object({
        weekend: WorkingCalendarSchema.shape.weekend.unwrap(),
        holidays: WorkingCalendarSchema.shape.holidays.unwrap(),
        workingWeekendDays: WorkingCalendarSchema.shape.workingWeekendDays.unwrap(),
      })
      .partial()
      .strict(),
    deadlines: z
      .object({
        appealDays: AppealDeadlinesSchema.shape.appealDays.unwrap(),
        appealNoStudyDays: AppealDeadlinesSchema.shape.appealNoStudyDays.unwrap(),
        appealMaxDays: AppealDeadlinesSchema.shape.appealMaxDays.unwrap(),
        informationWorkingDays: AppealDeadlinesSchema.shape.informationWorkingDays.unwrap(),
        informationMaxWorkingDays: AppealDeadlinesSchema.shape.informationMaxWorkingDays.unwrap(),
        issueReportWorkingDays: AppealDeadlinesSchema.shape.issueReportWorkingDays.unwrap(),
      })
      .partial()
      .strict(),
    bounds: appealsFields.bounds,
  })
  .partial()
  .strict();
export type AppealSettingsPatch = z.infer<typeof AppealSettingsPatchSchema>;

/** Applies a patch; the caller validates the result with the community's settings schema. */
export function mergeAppealSettings(
  current: AppealSettings,
  patch: AppealSettingsPatch | undefined,
): z.input<typeof AppealSettingsSchema> {
  if (!patch) return current;
  return {
    ...current,
    ...patch,
    calendar: { ...current.calendar, ...patch.calendar },
    deadlines: { ...current.deadlines, ...patch.deadlines },
  };
}

/** The unit a category routes to, or undefined when either is unknown. */
export function unitOfCategory(settings: AppealSettings, categoryId: string): string | undefined {
  return settings.categories.find((c) => c.id === categoryId)?.unitId;
}
