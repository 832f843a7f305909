import { loadRefData } from '@pulse/refdata';
import { classifyTrust } from '../src/generate/profiles.js';
const rd = loadRefData();
const ts = rd.trusts('2026-11-20');
const by: Record<string, string[]> = {};
for (const t of ts) (by[classifyTrust(t.name)] ??= []).push(t.name);
for (const [k, v] of Object.entries(by)) console.log(k, v.length, '\n  ' + v.join('\n  '));
