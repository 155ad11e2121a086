import { z } from 'zod';
import { CommunityIdSchema } from '../communities/schemas';
import { PageQuerySchema } from '../shared/pagination';

export const AuditPathSchema = z.object({ communityId: CommunityIdSchema });

/** The first sequence number wanted; 1, the start of the chain, by default. */
const FromSchema = z.coerce.number().int().min(1).max(999_999_999_999).default(1);

export const AuditListQuerySchema = PageQuerySchema.extend({ from: FromSchema });

export const AuditExportQuerySchema = z.object({ from: FromSchema });

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/);

const SummarySchema = z.record(z.string(), z.unknown());

export const AuditEntryViewSchema = z
  .object({
    seq: z.int(),
    communityId: z.string(),
    intentId: z.string(),
    actor: z.object({ subject: z.string(), roles: z.array(z.string()) }),
    action: z.string(),
    target: z.string(),
    at: z.string(),
    before: SummarySchema.optional(),
    after: SummarySchema.optional(),
    previousHash: HashSchema,
    hash: HashSchema,
  })
  .meta({ id: 'AuditEntry' });

export const AuditLogSchema = z.object({
  items: z.array(AuditEntryViewSchema),
  cursor: z.string().optional(),
  /** The end of the chain now: compare it with a published head to see that nothing was cut off. */
  head: z.object({ seq: z.int(), hash: HashSchema }),
});
