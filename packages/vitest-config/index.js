// Shared Vitest preset. A workspace's vitest.config.ts is
//   export default pulseVitestConfig({ ...overrides })
//
// Two suites: `npm test` runs test/**/*.test.ts but test/soak/; `npm run test:soak` (the
// workspace's `test:soak` script sets PULSE_SUITE=soak) runs test/soak/**/*.test.ts only, the long
// fault and exactness runs, with its own report.
import { defaultServerConditions } from 'vite';
import { defineConfig, mergeConfig } from 'vitest/config';

/** @param {import('vitest/config').UserConfig} [overrides] */
export function pulseVitestConfig(overrides = {}) {
  const conditions = ['@pulse/source', ...defaultServerConditions];
  const soak = process.env.PULSE_SUITE === 'soak';
  return mergeConfig(
    defineConfig({
      // Workspace packages export TypeScript source under '@pulse/source'; tests run from source.
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: ['@pulse/source'] } },
      test: {
        include: soak ? ['test/soak/**/*.test.ts'] : ['test/**/*.test.ts', 'src/**/*.test.ts'],
        exclude: soak ? [] : ['test/soak/**'],
        // Integration tests share one broker on a 2-core machine: run files one at a time by
        // default, tests inside a file stay sequential. Pure unit suites may override.
        fileParallelism: false,
        // Hang guards, not speed checks: generous enough for a 2-core machine at a load of 30.
        testTimeout: soak ? 1_800_000 : 300_000,
        hookTimeout: 1_200_000,
        reporters: ['default', 'json'],
        // The JSON report is summed by scripts/test.mjs into the closing "N passed, N failed" line.
        outputFile: {
          json: soak ? './test-results/vitest-soak.json' : './test-results/vitest.json',
        },
      },
    }),
    overrides,
  );
}
