import { BudgetEvents } from '../events/budgets';
import { appealsTool } from './appeals/routes';
import { auditTool } from './audit/routes';
import { RESULTS_JOB_TIMEOUT_MINUTES } from './budgets/results-deadline';
import { budgetsTool } from './budgets/routes';
import { communitiesTool } from './communities/routes';
import { consultationsTool } from './consultations/routes';
import { docsTool } from './docs/routes';
import { moderationTool } from './moderation/routes';
import { petitionsTool } from './petitions/routes';
import type { TableAction, ToolDefinition } from './shared/routes';
import type { IndexName } from './shared/table';

/** A function besides the HTTP tools: its module (exporting `handler`) and its grant on the table. */
interface TableFunction {
  readonly name: string;
  readonly entry: string;
  readonly tableActions: readonly TableAction[];
  /** The indexes its code queries, exactly (see `ToolDefinition.indexes`): Query is granted on these only. */
  readonly indexes: readonly IndexName[];
}

/** Every HTTP tool. Adding a tool means adding it here; CDK, the local runtime and the docs follow. */
export const TOOLS: readonly ToolDefinition[] = [
  communitiesTool,
  petitionsTool,
  moderationTool,
  consultationsTool,
  budgetsTool,
  appealsTool,
  auditTool,
  docsTool,
];

/**
 * The one stream consumer of the table (a stream allows two consumers per shard):
 * it routes each record to the tally, the audit appender or the outbox publisher.
 * PutItem is for the Puts inside the tally's transactions (threshold marks, outbox events).
 * Nothing long runs here: a slow batch would hold up every count on its shard.
 */
export const STREAM_HANDLER = {
  name: 'streams',
  entry: 'functions/streams/handler.ts',
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:TransactWriteItems',
  ] satisfies TableAction[],
  indexes: [] satisfies IndexName[],
} as const;

/** Handlers run on a schedule (closing petitions, phase changes); later tools add theirs. */
export const SCHEDULED_HANDLERS: readonly (TableFunction & {
  /** An EventBridge schedule expression, e.g. `rate(5 minutes)`. */
  readonly schedule: string;
})[] = [
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
    indexes: ['GSI1', 'GSI2', 'GSI3'],
  },
  {
    name: 'consultation-phases',
    entry: 'functions/consultations/phase-job.ts',
    schedule: 'rate(5 minutes)',
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:TransactWriteItems'],
    indexes: ['GSI1', 'GSI2', 'GSI3', 'GSI4'],
  },
  {
    name: 'budget-phases',
    entry: 'functions/budgets/phase-job.ts',
    schedule: 'rate(5 minutes)',
    // UpdateItem takes a finished results job off the index of jobs to watch.
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:TransactWriteItems',
    ],
    indexes: ['GSI1', 'GSI2', 'GSI3'],
  },
  {
    // Erases personal data past each community's `retentionDays`; daily, as retention is counted in days.
    name: 'retention',
    entry: 'functions/retention/job.ts',
    schedule: 'rate(1 day)',
    // BatchWriteItem deletes in chunks of 25; UpdateItem moves comment authors to their pseudonyms;
    // PutItem and DeleteItem are for the transactions that archive ballots and mark each subject.
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:TransactWriteItems',
    ],
    indexes: ['GSI1', 'GSI2'],
  },
  {
    // Marks open appeals whose due day has passed. Hourly, not daily: due days are Kyiv days, and
    // a daily rate fires at an hour fixed by the deployment (and shifted by summer time), so an
    // item could wait up to a day to be marked and "overdue now" would lag; an hourly run marks
    // within an hour of Kyiv midnight, and the other 23 runs a day are one empty Query each.
    name: 'appeals-overdue',
    entry: 'functions/appeals/overdue-job.ts',
    schedule: 'rate(1 hour)',
    // UpdateItem moves the statistics; PutItem is for the item, its event and its audit intent in
    // the transaction that marks it.
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:TransactWriteItems',
    ],
    indexes: ['GSI1', 'GSI2', 'GSI3', 'GSI4'],
  },
];

/**
 * Work too long for a request or the stream (budget results; later large exports, deliveries):
 * each runs in a function of its own, fed by the events it names. In AWS an EventBridge rule puts
 * them on a queue that feeds the function; locally the bus hands them to a worker thread. The
 * module exports `handler` (SQS) and, for the local runtime, `runJob` and `failJob`.
 */
export const QUEUED_JOB_HANDLERS: readonly (TableFunction & {
  /** The event names that start a run. */
  readonly events: readonly string[];
  readonly timeoutMinutes: number;
  /** MB. */
  readonly memorySize: number;
})[] = [
  {
    // Equal shares with add1 in kopiykas over every ballot of a city: minutes of one core, and
    // every ballot in memory at once.
    name: 'budget-results',
    entry: 'functions/budgets/results-job.ts',
    events: [BudgetEvents.resultsRequested],
    timeoutMinutes: RESULTS_JOB_TIMEOUT_MINUTES,
    memorySize: 3008,
    // Query reads the projects and ballots; UpdateItem claims the job; PutItem is for the
    // Puts inside the transactions that store the results or the failure.
    tableActions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:TransactWriteItems',
    ],
    indexes: ['GSI1', 'GSI2', 'GSI3'],
  },
];
