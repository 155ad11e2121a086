import { z } from 'zod';
import { APPEAL_STATUSES, type Appeal, type AppealStatus, STATUS_LABELS } from '../../domain/appeals/appeal';
import type { AppealSettings } from '../../domain/appeals/settings';
import { text, validationMessage } from '../../domain/shared/localized';
import { pathTo } from '../shared/routes';
import { PUBLIC_ITEM } from './requests';

/**
 * The public issue reports as an RFC 7946 FeatureCollection, for maps: one
 * Point feature per report, `[lon, lat]`, with what the public view shows
 * and nothing about the author.
 */

/** The media type of RFC 7946 (section 12). */
export const GEOJSON = 'application/geo+json';

/**
 * Reports per page: the feed is paginated, not capped, because a community's
 * reports only grow, and a cap would silently drop the oldest from the map.
 * A page of 1,000 features is about 0.75 MB (1.1 MB with 200-character titles
 * and photo links), well under a Lambda answer's 6 MB;
 * DynamoDB ends a page early at 1 MB read, which the cursor continues.
 */
export const FEED_MAX_LIMIT = 1000;
export const FEED_DEFAULT_LIMIT = 200;

/** A longitude or latitude as a client writes it in a query: a plain decimal. */
const DECIMAL = String.raw`-?\d{1,3}(?:\.\d{1,15})?`;
const BBOX_PATTERN = new RegExp(`^${DECIMAL},${DECIMAL},${DECIMAL},${DECIMAL}$`);

export interface Bbox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

const bboxMessage = (uk: string, en: string) => ({ error: validationMessage(text(uk, en)) });

/** `west,south,east,north` in degrees (RFC 7946 section 5 order), within the world, west ≤ east, south ≤ north. */
export const BboxSchema = z
  .string()
  .regex(
    BBOX_PATTERN,
    bboxMessage(
      'bbox — чотири числа через кому: захід,південь,схід,північ (градуси), напр. 30.2,50.3,30.8,50.6.',
      'bbox is four numbers separated by commas: west,south,east,north (degrees), e.g. 30.2,50.3,30.8,50.6.',
    ),
  )
  .transform((raw): Bbox => {
    const [west, south, east, north] = raw.split(',').map(Number) as [number, number, number, number];
    return { west, south, east, north };
  })
  .refine(
    (box) => box.west >= -180 && box.east <= 180 && box.south >= -90 && box.north <= 90,
    bboxMessage(
      'bbox виходить за межі світу: довгота від −180 до 180, широта від −90 до 90.',
      'bbox is outside the world: longitudes lie within −180..180, latitudes within −90..90.',
    ),
  )
  .refine(
    (box) => box.west <= box.east && box.south <= box.north,
    bboxMessage(
      'У bbox захід має бути не більший за схід, а південь — не більший за північ.',
      'In bbox, west must not exceed east, nor south exceed north.',
    ),
  );

export const FeedQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(FEED_MAX_LIMIT)
    .default(FEED_DEFAULT_LIMIT)
    .describe('Reports read for this page.'),
  cursor: z.string().min(1).max(2048).optional().describe('The `cursor` of the previous page.'),
  status: z
    .enum(APPEAL_STATUSES as [AppealStatus, ...AppealStatus[]])
    .optional()
    .describe('Only reports in this status.'),
  bbox: BboxSchema.optional().describe(
    'Only reports inside `west,south,east,north` (degrees, WGS 84, edges included).',
  ),
});
export type FeedQuery = z.infer<typeof FeedQuerySchema>;

const Localized = z.object({ uk: z.string(), en: z.string() });

export const IssueReportFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({
    type: z.literal('Point'),
    coordinates: z
      .tuple([z.number(), z.number()])
      .describe('[longitude, latitude], WGS 84 (RFC 7946 sections 3.1.1 and 4).'),
  }),
  properties: z.object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    categoryId: z.string(),
    category: Localized,
    status: z.enum(APPEAL_STATUSES as [AppealStatus, ...AppealStatus[]]),
    statusLabel: Localized,
    registeredAt: z.string(),
    updatedAt: z.string().describe('When its status last changed.'),
    photoUrl: z.string().optional(),
    url: z.string().describe("The public item's path on this API (a relative reference)."),
  }),
});
export type IssueReportFeature = z.infer<typeof IssueReportFeatureSchema>;

export const IssueReportFeedSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(IssueReportFeatureSchema),
  cursor: z
    .string()
    .optional()
    .describe(
      'A foreign member (RFC 7946 section 6.1): where the next page starts; absent on the last page.',
    ),
});
export type IssueReportFeed = z.infer<typeof IssueReportFeedSchema>;

/** A report with its place: every issue report has one (the submission requires it). */
type Located = Appeal & { readonly location: NonNullable<Appeal['location']> };

/** True when a report belongs in the feed the query asks for: its status, inside the box (edges included). */
export function inFeed(report: Appeal, query: Pick<FeedQuery, 'status' | 'bbox'>): report is Located {
  const { location } = report;
  if (!location) return false;
  if (query.status && report.status !== query.status) return false;
  const box = query.bbox;
  if (!box) return true;
  return (
    location.lon >= box.west &&
    location.lon <= box.east &&
    location.lat >= box.south &&
    location.lat <= box.north
  );
}

/** One report as a feature. The category's names come from the settings; a category removed since shows its id. */
export function issueReportFeature(report: Located, settings: AppealSettings): IssueReportFeature {
  const category = settings.categories.find((c) => c.id === report.categoryId);
  return {
    type: 'Feature',
    id: report.id,
    geometry: { type: 'Point', coordinates: [report.location.lon, report.location.lat] },
    properties: {
      id: report.id,
      number: report.number,
      title: report.title,
      categoryId: report.categoryId,
      category: category?.names ?? { uk: report.categoryId, en: report.categoryId },
      status: report.status,
      statusLabel: STATUS_LABELS[report.status],
      registeredAt: report.registeredAt,
      updatedAt: report.timeline.at(-1)?.at ?? report.registeredAt,
      ...(report.photoUrl ? { photoUrl: report.photoUrl } : {}),
      url: pathTo(PUBLIC_ITEM, { communityId: report.communityId, appealId: report.id }),
    },
  };
}

/** A page of public reports, filtered by the query, as a FeatureCollection. */
export function issueReportFeed(
  reports: readonly Appeal[],
  settings: AppealSettings,
  query: Pick<FeedQuery, 'status' | 'bbox'>,
  cursor?: string,
): IssueReportFeed {
  return {
    type: 'FeatureCollection',
    features: reports
      .filter((report) => inFeed(report, query))
      .map((report) => issueReportFeature(report, settings)),
    ...(cursor ? { cursor } : {}),
  };
}
