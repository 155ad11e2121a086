import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoints: string[];
  }
}

/**
 * How many DynamoDB Local engines the run starts. One engine gets slower with
 * every write it has taken in the run (measured: the same 3,000 writes cost it
 * 3.6 s of CPU fresh, 8.1 s after 12,000 others), so the files are spread over
 * a few; each engine costs about a second of CPU to start and idles at no cost.
 */
const ENGINES = 4;

let engines: DynamoDbLocal[] = [];

/** The run's real DynamoDB Local engines; each test file makes its own table in one of them. */
export async function setup(project: TestProject): Promise<void> {
  engines = await Promise.all(Array.from({ length: ENGINES }, () => startDynamoDbLocal()));
  project.provide(
    'dynamoEndpoints',
    engines.map((engine) => engine.endpoint),
  );
}

export async function teardown(): Promise<void> {
  await Promise.all(engines.map((engine) => engine.stop()));
}
