// Shared Vitest preset. A workspace's vitest.config.ts is
//   export default pulseVitestConfig({ ...overrides })
import { defaultServerConditions } from 'vite';
import { defineConfig, mergeConfig } from 'vitest/config';

/** @param {import('vitest/config').UserConfig} [overrides] */
export function pulseVitestConfig(overrides = {}) {
  const conditions = ['@pulse/source', ...defaultServerConditions];
  return mergeConfig(
    defineConfig({
      // Workspace packages export TypeScript source under '@pulse/source'; tests run from source.
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: ['@pulse/source'] } },
      test: {
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        // Integration tests share one broker on a 2-core machine: run files one at a time by
        // default, tests inside a file stay sequential. Pure unit suites may override.
        fileParallelism: false,
        testTimeout: 60_000,
        hookTimeout: 120_000,
        reporters: ['default', 'json'],
        // The JSON report is summed by scripts/test.mjs into the closing "N passed, N failed" line.
        outputFile: { json: './test-results/vitest.json' },
      },
    }),
    overrides,
  );
}
