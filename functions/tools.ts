import { auditTool } from './audit/routes';
import { budgetsTool } from './budgets/routes';
import { communitiesTool } from './communities/routes';
import { consultationsTool } from './consultations/routes';
import { docsTool } from './docs/routes';
import { moderationTool } from './moderation/routes';
import { petitionsTool } from './petitions/routes';
import type { TableAction, ToolDefinition } from './shared/routes';

/** Every HTTP tool. Adding a tool means adding it here; CDK, the local runtime and the docs follow. */
export const TOOLS: readonly ToolDefinition[] = [
  communitiesTool,
  petitionsTool,
  moderationTool,
  consultationsTool,
  budgetsTool,
  auditTool,
  docsTool,
];

/**
 * The one stream consumer of the table (a stream allows two consumers per shard):
 * it routes each record to the tally, the audit appender or the outbox publisher.
 * PutItem is for the Puts inside the tally's transactions (threshold marks, outbox events);
 * Query is for the budget results job, which reads a budget's projects and ballots.
 */
export const STREAM_HANDLER = {
  name: 'streams',
  entry: 'functions/streams/handler.ts',
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:TransactWriteItems',
  ] satisfies TableAction[],
} as const;

/** Handlers run on a schedule (closing petitions, phase changes); later tools add theirs. */
export const SCHEDULED_HANDLERS: readonly {
  readonly name: string;
  readonly entry: string;
  /** An EventBridge schedule expression, e.g. `rate(5 minutes)`. */
  readonly schedule: string;
  readonly tableActions: readonly TableAction[];
}[] = [
  {
    name: 'close-petitions',
    entry: 'functions/petitions/close-expired.ts',
    schedule: 'rate(5 minutes)',
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:TransactWriteItems',
    ],
  },
  {
    name: 'consultation-phases',
    entry: 'functions/consultations/phase-job.ts',
    schedule: 'rate(5 minutes)',
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:TransactWriteItems'],
  },
  {
    name: 'budget-phases',
    entry: 'functions/budgets/phase-job.ts',
    schedule: 'rate(5 minutes)',
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:TransactWriteItems'],
  },
];
