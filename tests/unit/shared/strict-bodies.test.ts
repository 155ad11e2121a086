import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TOOLS } from '../../../functions/tools';

type JsonSchema = { readonly [key: string]: unknown };

/**
 * The JSON pointers, inside one body, of every object with named fields that
 * would take a field it does not name. A record (a map keyed by ids, such as
 * survey answers) names no fields and is checked by its own rules.
 */
function lenientObjects(node: unknown, at: string): string[] {
  if (node === null || typeof node !== 'object') return [];
  const schema = node as JsonSchema;
  const own =
    schema.type === 'object' && schema.properties !== undefined && schema.additionalProperties !== false
      ? [at]
      : [];
  const nested = Object.entries(schema).flatMap(([key, value]) =>
    key === 'properties'
      ? Object.entries(value as JsonSchema).flatMap(([name, field]) => lenientObjects(field, `${at}/${name}`))
      : lenientObjects(value, at),
  );
  return [...own, ...nested];
}

const bodies = TOOLS.flatMap((tool) =>
  tool.routes
    .filter((route) => route.body !== undefined)
    .map((route) => [`${route.method} ${route.path}`, route.body as z.ZodType] as const),
);

describe('request bodies', () => {
  it('are found, so that the check below is not vacuous', () => {
    expect(bodies.length).toBeGreaterThan(20);
  });

  it.each(bodies)('%s refuses unknown keys at every level', (_route, body) => {
    const schema = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' });

    expect([...new Set(lenientObjects(schema, '/body'))]).toEqual([]);
  });
});
