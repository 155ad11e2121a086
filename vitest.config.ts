import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Safety nets, not measurements: CI shares two cores with other work, and a test that
    // takes 10 s alone can take six times that there. Speed is measured by `npm run bench`.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: more workers only fight over them and over DynamoDB Local.
    maxWorkers: 2,
  },
});
