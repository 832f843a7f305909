// Prints the generator's headline figures for a simulated window (default: one day, all trusts).
//   npx tsx --conditions=@pulse/source scripts/realism.ts [from] [to] [seed]
import { loadRefData, londonDateOf } from '@pulse/refdata';
import { generateActivity } from '../src/generate/index.js';
import { measure } from '../src/generate/measure.js';

const from = Date.parse(process.argv[2] ?? '2026-11-23T00:00:00Z');
const to = Date.parse(process.argv[3] ?? '2026-11-24T00:00:00Z');
const seed = process.argv[4] ?? 'realism';
const refdata = loadRefData();
const open = refdata.trusts(londonDateOf(from));
const started = performance.now();
const figures = measure(
  generateActivity({ seed, from, to, trusts: open, openTrusts: open, rttScale: 0.02 }),
);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify(figures, null, 2));
console.log(
  `${figures.events} events in ${seconds.toFixed(1)} s (${Math.round(figures.events / seconds)}/s)`,
);
