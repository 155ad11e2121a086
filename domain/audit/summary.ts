import { canonicalJson, type JsonValue } from './canonical';
import { type AuditSummary, MAX_SUMMARY_CHARS } from './intent';

/**
 * A before/after summary that always fits the audit trail's limit: each value
 * as it is when the whole fits, otherwise the values too large to keep are
 * replaced by a note of their size (the change is still on the record, its
 * bulk is in the item's own history).
 * @example summarize({ reportsBeforeHide: 5 }) // → { reportsBeforeHide: 5 }
 */
export function summarize(values: Readonly<Record<string, unknown>>): AuditSummary {
  const summary = JSON.parse(canonicalJson(values as JsonValue)) as Record<string, JsonValue>;
  if (canonicalJson(summary).length <= MAX_SUMMARY_CHARS) return summary;
  const share = Math.floor(MAX_SUMMARY_CHARS / (Object.keys(summary).length + 1));
  const trimmed: Record<string, JsonValue> = Object.fromEntries(
    Object.entries(summary).map(([key, value]) => {
      const size = canonicalJson(value).length;
      return [key, size <= share ? value : { omitted: 'too large to record', chars: size }];
    }),
  );
  if (canonicalJson(trimmed).length <= MAX_SUMMARY_CHARS) return trimmed;
  // Even the notes do not fit (very many or very long keys): say only that, and how much.
  return { omitted: 'summary too large to record', fields: Object.keys(summary).length };
}

/** The fields of `before` and `after` that differ, as a pair of summaries. */
export function changes<T extends object>(
  beforeValue: T,
  afterValue: T,
  fields: readonly (keyof T & string)[],
): { before: AuditSummary; after: AuditSummary } {
  const before = beforeValue as Readonly<Record<string, unknown>>;
  const after = afterValue as Readonly<Record<string, unknown>>;
  const changed = fields.filter(
    (field) =>
      canonicalJson((before[field] ?? null) as JsonValue) !==
      canonicalJson((after[field] ?? null) as JsonValue),
  );
  return {
    before: summarize(Object.fromEntries(changed.map((field) => [field, before[field] ?? null]))),
    after: summarize(Object.fromEntries(changed.map((field) => [field, after[field] ?? null]))),
  };
}
