import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodec } from '@pulse/contracts';
import { testKafka, testLogger, uniqueTopic } from '@pulse/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../src/cli/options.js';
import { FAULT_KINDS } from '../src/faults/kinds.js';
import { readSentLog } from '@pulse/verify';
import { runSimulator } from '../src/run.js';
import { FEW_TRUSTS, testRefData } from './helpers.js';
import { expectTopicEqualsLog } from './readback.js';

const dir = mkdtempSync(join(tmpdir(), 'simulator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ALL_FAULTS =
  'duplicate=0.05,late=0.01,tooLate=0.002,future=0.002,corrupt=0.002,unknownFingerprint=0.002,unknownProvider=0.002,implausible=0.002,identifier=0.002,emittedFuture=0.002';

async function fastRun(args: string[], label: string) {
  const topic = await uniqueTopic({ partitions: 3, label });
  const log = join(dir, `${label}.jsonl`);
  const options = parseOptions([...args, '--fast', '--topic', topic, '--log', log]);
  const summary = await runSimulator(options, {
    kafka: testKafka('simulator'),
    refdata: testRefData(),
    codec: createCodec(),
    logger: testLogger(),
  });
  return { topic, log, summary };
}

describe('simulator against a real broker', () => {
  it('should land a --fast run on the topic exactly as its sent log says', async () => {
    const { topic, log, summary } = await fastRun(
      [
        '--from',
        '2026-11-23T08:00:00Z',
        '--to',
        '2026-11-23T11:00:00Z',
        '--trusts',
        FEW_TRUSTS.join(','),
        '--faults',
        ALL_FAULTS,
        '--seed',
        'broker',
      ],
      'simulator-fast',
    );
    const count = await expectTopicEqualsLog(topic, log);
    expect(count).toBe(summary.records);
    const entries = await readSentLog(log);
    const faults = new Set(entries.map((e) => e.fault));
    expect(faults).toEqual(new Set([null, ...FAULT_KINDS]));
    // Keys are the provider, except the unknown provider's own code.
    for (const e of entries) if (e.event) expect(e.key).toBe(e.event.providerOds);
  });
});
