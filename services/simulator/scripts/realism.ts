// Prints the generator's headline figures for a simulated day (default Monday 23 November 2026),
// every open trust, after a warm-up day that sets the scene (long stays begun the day before).
//   npx tsx --conditions=@pulse/source scripts/realism.ts [dayStart] [seed] [rttScale]
import { loadRefData, londonDateOf } from '@pulse/refdata';
import { generateActivity } from '../src/generate/index.js';
import { measure } from '../src/generate/measure.js';
import { DAY_MS as DAY } from '@pulse/refdata';

const day = Date.parse(process.argv[2] ?? '2026-11-23T00:00:00Z');
const seed = process.argv[3] ?? 'realism';
const rttScale = Number(process.argv[4] ?? '0.02');
const open = loadRefData().trusts(londonDateOf(day));
const started = performance.now();
const events = generateActivity({
  seed,
  from: day - DAY,
  to: day + DAY,
  trusts: open,
  openTrusts: open,
  rttScale,
});
const figures = measure(events, day);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify(figures, null, 2));
console.log(`two simulated days generated and measured in ${seconds.toFixed(1)} s`);
