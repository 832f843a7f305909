// Codec throughput: Avro single-object encode/decode beside JSON.stringify/JSON.parse of the same
// records, on a realistic mix of event types. Prints a table and writes the "codec" section of
// docs/BENCHMARKS.md.  Run: npm run bench (root) or npm run bench -w @pulse/contracts.
import { describeMachine, machineInfo, markdownTable, measure, writeSection } from '@pulse/bench';
import { createCodec, fromJson, toJson } from '../src/index.js';
import { eventMix } from './event-mix.js';

const EVENTS = 10_000;
const ITERATIONS = Number(process.env['PULSE_BENCH_ITERATIONS'] ?? 200_000);
const options = { iterations: ITERATIONS, warmup: ITERATIONS / 2, rounds: 5 };

const machine = machineInfo();
console.log(`codec benchmark on ${describeMachine(machine)}`);
console.log(`${EVENTS} distinct events, ${ITERATIONS} operations per round, 5 rounds\n`);

const events = eventMix(EVENTS);
const codec = createCodec();
const unchecked = createCodec({ validate: false });
const avro = events.map((e) => codec.encode(e));
const json = events.map((e) => JSON.stringify(e));
const jsonForm = events.map((e) => JSON.stringify(toJson(e)));
const at = (i: number) => i % EVENTS;

const avroBytes = avro.reduce((n, b) => n + b.length, 0) / EVENTS;
const jsonBytes = json.reduce((n, s) => n + Buffer.byteLength(s), 0) / EVENTS;
const jsonFormBytes = jsonForm.reduce((n, s) => n + Buffer.byteLength(s), 0) / EVENTS;

const rows: [string, number, number, number][] = [];
function run(name: string, bytes: number, fn: (i: number) => unknown): void {
  const m = measure(name, fn, options);
  const spread = ((m.maxOpsPerSec - m.minOpsPerSec) / m.opsPerSec) * 100;
  console.log(
    `${name.padEnd(52)} ${Math.round(m.opsPerSec).toLocaleString('en-GB').padStart(12)} events/s  ±${spread.toFixed(0)}%`,
  );
  rows.push([name, m.opsPerSec, m.maxOpsPerSec, bytes]);
}

run('Avro encode (codec.encode, rules checked)', avroBytes, (i) => codec.encode(events[at(i)]!));
run('Avro decode (codec.decode, rules checked)', avroBytes, (i) => codec.decode(avro[at(i)]!));
run('Avro encode, rules not checked', avroBytes, (i) => unchecked.encode(events[at(i)]!));
run('Avro decode, rules not checked', avroBytes, (i) => unchecked.decode(avro[at(i)]!));
run('JSON.stringify (in-memory shape)', jsonBytes, (i) => JSON.stringify(events[at(i)]!));
run('JSON.parse (in-memory shape)', jsonBytes, (i) => JSON.parse(json[at(i)]!) as unknown);
run('JSON form: JSON.stringify(toJson(event))', jsonFormBytes, (i) =>
  JSON.stringify(toJson(events[at(i)]!)),
);
run('JSON form: fromJson(JSON.parse(text)), rules checked', jsonFormBytes, (i) =>
  fromJson(JSON.parse(jsonForm[at(i)]!)),
);

const body = `${EVENTS.toLocaleString('en-GB')} distinct events in a realistic mix of the nine v1 types, each operation
timed over ${ITERATIONS.toLocaleString('en-GB')} calls per round, 5 rounds after a warm-up; on a shared or busy machine
the best round is the steadier figure (other load only ever slows a round down). "Rules checked" runs
\`validateEvent\` too (the default). Bytes are the mean size of one encoded event (Avro: the whole
single-object frame, 10 header bytes included; JSON: UTF-8 length).

${markdownTable(['operation', 'events/s (median)', 'events/s (best round)', 'bytes/event'], rows)}

Source: \`packages/contracts/bench/codec.bench.ts\`.`;

const path = writeSection({
  id: 'codec',
  title: 'Event codec (@pulse/contracts)',
  body,
  machine,
  date: new Date(),
});
console.log(`\nwritten to ${path}`);
