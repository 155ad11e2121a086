import { z } from 'zod';
import { localDay } from '../../domain/appeals/calendar';
import { APPEAL_KINDS, type AppealKind } from '../../domain/appeals/settings';
import { monthsBetween, statsRows } from '../../domain/appeals/stats';
import type { Community } from '../../domain/communities/community';
import { text, validationMessage } from '../../domain/shared/localized';
import { documentClient } from '../shared/dynamo';
import { type AnyRoute, defineRoute } from '../shared/routes';
import { BASE } from './requests';
import { AppealsPathSchema } from './schemas';
import { dynamoAppealStatsReader } from './stats-store';

/** The longest range one request reads: two years of a community's buckets. */
export const STATS_MAX_MONTHS = 24;
/** Without `from`, the year up to `to`. */
const DEFAULT_MONTHS = 12;

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, {
  error: validationMessage(text('Місяць у форматі РРРР-ММ.', 'A month as YYYY-MM.')),
});

export const StatsQuerySchema = z
  .object({ from: Month.optional(), to: Month.optional() })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    path: ['from'],
    error: validationMessage(text('from має бути не пізніше за to.', 'from must not be after to.')),
  })
  .refine((query) => !query.from || !query.to || monthsBetween(query.from, query.to) <= STATS_MAX_MONTHS, {
    path: ['to'],
    error: validationMessage(
      text(
        `Не більше ${STATS_MAX_MONTHS} місяців за один запит.`,
        `At most ${STATS_MAX_MONTHS} months in one request.`,
      ),
    ),
  });

const StatsRowSchema = z.object({
  month: z.string(),
  kind: z.enum(APPEAL_KINDS as [AppealKind, ...AppealKind[]]),
  categoryId: z.string(),
  unitId: z.string(),
  received: z.int(),
  answered: z.int(),
  answeredOnTime: z.int(),
  answeredAfterOverdue: z.int(),
  medianDaysToAnswer: z.number().optional(),
  overdueNow: z.int(),
  refused: z.int(),
  refusedByReason: z.record(z.string(), z.int()),
  forwarded: z.int(),
});

export const StatsSchema = z.object({ from: z.string(), to: z.string(), rows: z.array(StatsRowSchema) });

/** `month` moved by `delta` months. */
function shiftMonth(month: string, delta: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The months a request reads: both as given (the schema bounds them), or the
 * missing end filled in within {@link STATS_MAX_MONTHS}: without `to`, up to
 * this month (or `from`, if later); without `from`, {@link DEFAULT_MONTHS} up to `to`.
 */
export function monthRange(query: { from?: string; to?: string }, thisMonth: string) {
  if (query.from && query.to) return { from: query.from, to: query.to };
  if (query.from) {
    const latest = shiftMonth(query.from, STATS_MAX_MONTHS - 1);
    const to = thisMonth < query.from ? query.from : thisMonth > latest ? latest : thisMonth;
    return { from: query.from, to };
  }
  const to = query.to ?? thisMonth;
  return { from: shiftMonth(to, 1 - DEFAULT_MONTHS), to };
}

/** The reception's public statistics: counts only, no personal data. */
export const statsRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: `${BASE}/stats`,
    auth: 'public',
    operationId: 'getAppealStats',
    summary: 'Statistics of the reception by month of registration, kind, category and unit',
    description:
      'One row per month (of registration, in Kyiv time), kind, category and unit: received, answered, ' +
      'answered on time (on or before the due day in force), answered after being marked overdue, the ' +
      'median of calendar days from registration to answer (for an even count the mean of the two middle ' +
      'values), overdue now (open and marked by the overdue job), refused (in all and by reason code) and ' +
      `forwarded. \`from\`/\`to\` are months (YYYY-MM), at most ${STATS_MAX_MONTHS} apart; by default the ` +
      `${DEFAULT_MONTHS} months up to \`to\`, which defaults to this month (with \`from\` alone: this month, at most ${STATS_MAX_MONTHS} months from it).`,
    params: AppealsPathSchema,
    query: StatsQuerySchema,
    cache: { maxAgeSeconds: 60 },
    responses: { 200: { description: 'The rows of the months asked for', schema: StatsSchema } },
    errors: ['community_not_found'],
    handle: async (request) => {
      const community = request.community as Community;
      const { from, to } = monthRange(request.query, localDay(request.clock.now()).slice(0, 7));
      const reader = dynamoAppealStatsReader(documentClient(request.config), request.config.tableName);
      const stored = await reader.statsOf(community.id, from, to);
      return { status: 200, body: { from, to, rows: statsRows(stored) } };
    },
  }),
];
