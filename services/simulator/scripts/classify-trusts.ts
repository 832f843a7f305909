// What each trust open on a date publishes in the simulator, by refdata kind:
//   npx tsx --conditions=@pulse/source scripts/classify-trusts.ts [YYYY-MM-DD]
import { loadRefData } from '@pulse/refdata';
import { buildProfiles } from '../src/generate/profiles.js';

const date = process.argv[2] ?? '2026-11-23';
const trusts = loadRefData().trusts(date);
const profiles = buildProfiles('pulse', trusts);
const groups = new Map<string, string[]>();
for (const t of trusts) {
  const p = profiles.get(t.odsCode)!;
  const sends = [
    p.edShare > 0 ? `A&E types ${p.edTypes.join('/')}` : '',
    p.handovers ? 'handovers' : '',
    p.admits ? 'inpatients, beds' : '',
    p.rttShare > 0 ? 'RTT' : '',
  ].filter(Boolean);
  const key = `${t.kind}${t.children ? ' (children)' : ''}: ${sends.join(', ') || 'nothing'}`;
  groups.set(key, [...(groups.get(key) ?? []), `${t.odsCode} ${t.name}`]);
}
for (const [key, names] of [...groups].sort()) {
  console.log(`${key} — ${names.length}\n  ${names.join('\n  ')}`);
}
