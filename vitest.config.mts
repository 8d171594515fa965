import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Two projects, both run by `npm test`:
 * - unit: the pure tests beside the rule files (src/**\/*.test.ts), no database, milliseconds
 *   (`npx vitest run --project unit`);
 * - integration: the end-to-end suites in test/ against a real PostgreSQL (global setup starts it).
 */
export default defineConfig({
  resolve: {
    // One copy of graphql: without this, vitest may load both its ESM and CJS builds.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          setupFiles: ['test/unit-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/setup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
