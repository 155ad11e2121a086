import { AuditAction, newAuditIntent } from '../../domain/audit/intent';
import { mayReadAudit } from '../../domain/audit/permissions';
import type { AuditStore } from '../../domain/audit/ports';
import { forbidden } from '../../domain/communities/permissions';
import { documentClient } from '../shared/dynamo';
import {
  type AnyRoute,
  defineRoute,
  pathTo,
  type RouteRequest,
  type ToolDefinition,
  userScope,
} from '../shared/routes';
import { exportPart } from './export';
import { AuditExportQuerySchema, AuditListQuerySchema, AuditLogSchema, AuditPathSchema } from './schemas';
import { dynamoAuditStore } from './store';

const BASE = '/v1/communities/{communityId}/audit';
/** The export's path template: its `Link` to the next part is built from it. */
const EXPORT_PATH = `${BASE}/export`;

/** The export's media type: one canonical JSON entry per line. */
export const NDJSON = 'application/x-ndjson; charset=utf-8';

const storeFor = (request: RouteRequest): AuditStore =>
  dynamoAuditStore(documentClient(request.config), request.config.tableName);

const routes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: BASE,
    auth: 'user',
    operationId: 'listAuditEntries',
    summary: "The community's audit trail in sequence order (council)",
    description:
      'Entries from `from` (default 1) on, a page at a time, each with its hash and the hash before it; ' +
      '`head` is the end of the chain now.',
    params: AuditPathSchema,
    query: AuditListQuerySchema,
    responses: {
      200: { description: 'A page of entries and the head of the chain', schema: AuditLogSchema },
    },
    errors: ['forbidden', 'community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      if (!mayReadAudit(command.actor)) return { error: forbidden('council') };
      const store = storeFor(request);
      const [page, head] = await Promise.all([
        store.list(community.id, request.query),
        store.head(community.id),
      ]);
      return { status: 200, body: { ...page, head }, headers: { 'cache-control': 'no-store' } };
    },
  }),

  defineRoute({
    method: 'GET',
    path: EXPORT_PATH,
    auth: 'user',
    operationId: 'exportAuditTrail',
    summary: 'The audit trail as JSON lines, for `npx hromada audit verify` (council)',
    description:
      'One canonical JSON entry per line, in sequence order, from `from` (default 1) to the head. ' +
      'A body is at most 5 MiB: when the chain does not fit, the answer ends at a whole entry and the ' +
      '`x-audit-next-from` header (and a `Link` with `rel="next"`) says where the next part starts; ' +
      'parts verify on their own and concatenated. Every export is itself recorded in the trail ' +
      '(`audit.export`).',
    params: AuditPathSchema,
    query: AuditExportQuerySchema,
    responses: { 200: { description: 'JSON lines, one entry each', contentType: NDJSON } },
    errors: ['forbidden', 'community_not_found'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      if (!mayReadAudit(command.actor)) return { error: forbidden('council') };
      const store = storeFor(request);
      const { from } = request.query;
      const part = await exportPart(store.entriesFrom(community.id, from));
      // On the record before the data leaves: an export that cannot be recorded is not given.
      await store.record(
        newAuditIntent(command, {
          communityId: community.id,
          action: AuditAction.auditExport,
          target: `community/${community.id}`,
          after: { from, entries: part.entries, lastSeq: part.lastSeq, nextFrom: part.nextFrom },
        }),
      );
      const next: Record<string, string> =
        part.nextFrom === undefined
          ? {}
          : {
              'x-audit-next-from': String(part.nextFrom),
              link: `<${pathTo(EXPORT_PATH, { communityId: community.id })}?from=${part.nextFrom}>; rel="next"`,
            };
      return {
        status: 200,
        body: part.body,
        headers: {
          'content-type': NDJSON,
          'content-disposition': `attachment; filename="audit-${community.id}-from-${from}.jsonl"`,
          'cache-control': 'no-store',
          ...next,
        },
      };
    },
  }),
];

/** The audit tool: reading and exporting a community's audit trail (the chain is appended by the stream). */
export const auditTool: ToolDefinition = {
  name: 'audit',
  entry: 'functions/audit/http.ts',
  routes,
  tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
  indexes: [],
};
