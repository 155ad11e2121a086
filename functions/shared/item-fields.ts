/**
 * Reading a domain value back from a stored item, one way for every tool. The
 * fields are named in a record rather than a list: `satisfies FieldsOf<T>`
 * makes the build fail when `T` gains a field the record does not name, where
 * a list would silently drop it on every read.
 */

/** Every field of a domain type, named once (see the module comment). */
export type FieldsOf<T> = Readonly<Record<keyof T, true>>;

/**
 * The domain fields of a stored item, and nothing else: keys, index attributes
 * and bookkeeping (`entity`, `search`, a job id) stay in the table. Attributes
 * the item lacks stay absent, as optional fields were written.
 *
 * @example export const budgetFromItem = (item) => pickFields<Budget>(item, BUDGET_FIELDS);
 */
export function pickFields<T>(item: Record<string, unknown>, fields: FieldsOf<T>): T {
  const value: Record<string, unknown> = {};
  for (const field of Object.keys(fields)) if (item[field] !== undefined) value[field] = item[field];
  return value as T;
}
