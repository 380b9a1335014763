import { defineConfig } from 'vitest/config';

/** Four suites, each runnable alone: `vitest run --project unit|integration|authz|infra`. */
export default defineConfig({
  // npm test (test/helpers/run-steps.ts) runs two vitest processes at once and gives each step
  // a cache folder of its own: one results.json written while the other reads it would be torn.
  ...(process.env['XIUHUA_VITEST_CACHE_DIR'] ? { cacheDir: process.env['XIUHUA_VITEST_CACHE_DIR'] } : {}),
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // One module graph for all unit files: re-importing the SDK, zod and the domain per
          // file was three quarters of the run (66 s → 18 s). No file uses vi.mock; the files
          // that mock SDK clients or set env restore them in afterAll (checked with shuffled order).
          isolate: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // One DynamoDB Local + s3rver pair for the whole run, started here.
          globalSetup: ['test/helpers/global-setup.ts'],
          // Suites post many complaints from one address; test/integration/rate-limits.test.ts turns the limits on.
          env: { XIUHUA_RATE_LIMITS: 'off' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Issue 8: the authorization matrix on the real local stack (`npm run test:authz`).
          name: 'authz',
          include: ['test/authz/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          env: { XIUHUA_RATE_LIMITS: 'off' },
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          // aws-cdk-lib is imported once for all files, not once per file (import 19.6 s → 2.7 s).
          // Every test builds its own App; none mocks a module or changes process.env.
          isolate: false,
          testTimeout: 120_000,
        },
      },
      {
        // `npm run test:fuzz` (issue 8): malformed requests over every route, on the same local stack.
        test: {
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          environment: 'node',
          // Set before the suite imports the shared logger: thousands of refusals would log at INFO.
          env: { POWERTOOLS_LOG_LEVEL: 'WARN', XIUHUA_RATE_LIMITS: 'off' },
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // `npm run test:e2e` (issue 14): the field app in Debian's Chromium against `npm start`'s stack.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        // `npm run test:faults` (issue 8): a scripted month run clean and again under injected
        // SDK faults and duplicated / reordered S3 events; local stacks of its own.
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          env: { POWERTOOLS_LOG_LEVEL: 'WARN', XIUHUA_RATE_LIMITS: 'off' },
          testTimeout: 900_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
