// The "Done when" check: a --fast run of a whole simulated day for every open trust lands on a
// real topic and reads back equal to the sent log. ~440k records: ~30-65 s on a shared 2-core
// machine. It runs in every `npm test`, so the claim stays checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodec } from '@pulse/contracts';
import { testKafka, testLogger, uniqueTopic } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/cli/options.js';
import { formatSummary } from '../src/publish/summary.js';
import { runSimulator } from '../src/run.js';
import { testRefData } from './helpers.js';
import { expectTopicEqualsLog } from './readback.js';

describe('simulator, a full day', () => {
  it('should land a --fast day for all trusts exactly as its sent log says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulator-day-'));
    try {
      const topic = await uniqueTopic({ partitions: 12, label: 'simulator-day' });
      const log = join(dir, 'day.jsonl');
      const args = ['--fast', '--from', '2026-11-23T00:00:00Z', '--to', '2026-11-24T00:00:00Z'];
      const faults =
        'duplicate=0.01,late=0.001,tooLate=0.0001,corrupt=0.0001,unknownProvider=0.0001';
      const options = parseOptions([...args, '--faults', faults, '--topic', topic, '--log', log]);
      const started = performance.now();
      const summary = await runSimulator(options, {
        kafka: testKafka('simulator'),
        refdata: testRefData(),
        codec: createCodec(),
        logger: testLogger(),
      });
      const published = performance.now();
      const count = await expectTopicEqualsLog(topic, log);
      process.stderr.write(
        `${formatSummary(summary)}\n  published in ${((published - started) / 1000).toFixed(0)} s, ` +
          `read back and compared in ${((performance.now() - published) / 1000).toFixed(0)} s\n`,
      );
      expect(count).toBe(summary.records);
      expect(count).toBeGreaterThan(300_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
