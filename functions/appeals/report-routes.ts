import { AppealKind } from '../../domain/appeals/settings';
import type { Community } from '../../domain/communities/community';
import { pageRequest } from '../shared/pagination';
import { type AnyRoute, defineRoute } from '../shared/routes';
import {
  FEED_DEFAULT_LIMIT,
  FEED_MAX_LIMIT,
  FeedQuerySchema,
  GEOJSON,
  IssueReportFeedSchema,
  issueReportFeed,
} from './geojson';
import { BASE, useCasesFor } from './requests';
import { AppealsPathSchema } from './schemas';

/**
 * Public issue reports ("Open City") for maps. The path sits beside the
 * reception's static paths (`/mine`, `/public`), two segments deep, so it can
 * never be read as an item id.
 */
export const FEED = `${BASE}/issue-reports/geojson`;

/** The map feed of the published issue reports. */
export const reportRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: FEED,
    auth: 'public',
    operationId: 'getIssueReportsGeoJson',
    summary: 'Published issue reports as a GeoJSON FeatureCollection (RFC 7946), newest publication first',
    description:
      'One Point feature per report published by the moderators, `[lon, lat]`, with its number, title, ' +
      'category and status in uk and en, and the path of its public item; never its author. ' +
      `Paginated, not capped: at most \`limit\` reports per page (default ${FEED_DEFAULT_LIMIT}, ` +
      `at most ${FEED_MAX_LIMIT}); a page that is not the last carries \`cursor\` (a foreign member) to ` +
      'send back for the next. `status` and `bbox` (`west,south,east,north`, degrees, edges included) ' +
      'filter within each page, so a filtered page may hold fewer features, even none, before the last.',
    params: AppealsPathSchema,
    query: FeedQuerySchema,
    cache: { maxAgeSeconds: 10 },
    responses: {
      200: { description: 'A FeatureCollection', schema: IssueReportFeedSchema, contentType: GEOJSON },
    },
    errors: ['community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const community = request.community as Community;
      const page = await useCasesFor(request).published(
        community,
        AppealKind.issue_report,
        pageRequest(request.query),
      );
      return {
        status: 200,
        headers: { 'content-type': GEOJSON },
        body: issueReportFeed(page.items, community.settings.appeals, request.query, page.cursor),
      };
    },
  }),
];
