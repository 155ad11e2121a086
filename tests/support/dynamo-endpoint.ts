import { expect, inject } from 'vitest';

let chosen: string | undefined;

/**
 * The DynamoDB Local engine this test file uses: one of the run's engines,
 * picked by the file's path. The engine slows down with every write it has
 * taken (its stream records stay), so spreading the files over a few engines
 * keeps the last files of a run as fast as the first.
 */
export function dynamoEndpoint(): string {
  if (chosen) return chosen;
  const endpoints = inject('dynamoEndpoints');
  const path = expect.getState().testPath ?? String(Math.random());
  let hash = 0;
  for (const char of path) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  chosen = endpoints[hash % endpoints.length] as string;
  return chosen;
}
