// Simulator throughput: events/s of the pure generator, records/s with faults and Avro encoding,
// and (when KAFKA_BROKERS is set) records/s published to a real broker with the idempotent
// producer. Writes the "simulator" section of docs/BENCHMARKS.md (PULSE_BENCH_DOC overrides).
//   npm run bench -w simulator          (KAFKA_BROKERS=host:port for the publish row)
import { randomBytes } from 'node:crypto';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import { createCodec } from '@pulse/contracts';
import { createKafka } from '@pulse/kafka';
import { createLogger } from '@pulse/logging';
import { loadRefData } from '@pulse/refdata';
import { parseOptions } from '../src/cli/options.js';
import { generateActivity } from '../src/generate/index.js';
import { runSimulator, selectTrusts, simulatedRecords } from '../src/run.js';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';

const FROM = '2026-11-23T06:00:00Z';
const TO = process.env['PULSE_BENCH_SIM_TO'] ?? '2026-11-23T12:00:00Z';
const ROUNDS = 3;
const FAULTS = 'duplicate=0.01,late=0.001,tooLate=0.0001,corrupt=0.0001,unknownProvider=0.0001';

const machine = machineInfo();
console.log(`simulator benchmark on ${describeMachine(machine)}`);
console.log(`window ${FROM} to ${TO}, every open trust, --rtt-scale 0.02, ${ROUNDS} rounds\n`);
const refdata = loadRefData();
const codec = createCodec();
const options = parseOptions(['--from', FROM, '--to', TO, '--fast', '--faults', FAULTS]);

const rows: [string, number, number, number][] = [];
function timed(name: string, run: () => number): void {
  const rates: number[] = [];
  let count = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    count = run();
    rates.push(count / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(ROUNDS / 2)]!;
  console.log(`${name.padEnd(48)} ${Math.round(median).toLocaleString('en-GB').padStart(10)} /s`);
  rows.push([name, median, rates.at(-1)!, count]);
}

timed('generate (events)', () => {
  const { trusts, openTrusts } = selectTrusts(refdata, options.from, undefined);
  let n = 0;
  for (const _ of generateActivity({ ...options, trusts, openTrusts })) n++;
  return n;
});
timed('generate + faults + Avro encode (records)', () => {
  let n = 0;
  for (const _ of simulatedRecords(options, refdata, codec)) n++;
  return n;
});

const brokers = process.env['KAFKA_BROKERS'];
if (brokers) {
  const logger = createLogger({ service: 'simulator-bench', level: 'warn' });
  const kafka = createKafka({ brokers, clientId: 'simulator-bench', logger });
  const topic = `simulator-bench-${randomBytes(6).toString('hex')}`;
  const summary = await runSimulator({ ...options, topic }, { kafka, refdata, codec, logger });
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  console.log(
    `${`publish --fast (records, ${ACTIVITY_PARTITIONS} partitions)`.padEnd(48)} ${summary.recordsPerSecond.toLocaleString('en-GB').padStart(10)} /s`,
  );
  rows.push([
    'publish --fast to the broker (records), one run',
    summary.recordsPerSecond,
    summary.recordsPerSecond,
    summary.records,
  ]);
} else {
  console.log('KAFKA_BROKERS not set: publish not measured');
}

const body = `Simulated window ${FROM} to ${TO} for every trust open that day (\`--rtt-scale 0.02\`, faults
\`${FAULTS}\`), median of ${ROUNDS} rounds. The publish row is one \`--fast\` run to a fresh ${ACTIVITY_PARTITIONS}-partition
topic with the idempotent producer (batches of 2,000, one request in flight)${brokers ? '' : ' — not measured (no KAFKA_BROKERS)'}.

${markdownTable(['stage', 'per second (median)', 'per second (best)', 'count'], rows)}

Source: \`services/simulator/bench/run.ts\`.`;
const path = writeSection(
  { id: 'simulator', title: 'Simulator (services/simulator)', body, machine, date: new Date() },
  ...(process.env['PULSE_BENCH_DOC'] ? [process.env['PULSE_BENCH_DOC']] : []),
);
console.log(`\nwritten to ${path}`);
