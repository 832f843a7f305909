import { loadRefData, londonDateOf, type RefData, type Trust } from '@pulse/refdata';
import { generateActivity, type GenerateOptions } from '../src/generate/index.js';

let refdata: RefData | undefined;
export const testRefData = (): RefData => (refdata ??= loadRefData());

export function openTrusts(from: number): readonly Trust[] {
  return testRefData().trusts(londonDateOf(from));
}

/** Options for a window over the given trusts (all open ones by default). */
export function windowOf(
  from: string,
  to: string,
  overrides: Partial<GenerateOptions> & { ods?: readonly string[] } = {},
): GenerateOptions {
  const start = Date.parse(from);
  const open = openTrusts(start);
  const trusts = overrides.ods ? open.filter((t) => overrides.ods!.includes(t.odsCode)) : open;
  return {
    seed: 'test',
    from: start,
    to: Date.parse(to),
    trusts,
    openTrusts: open,
    rttScale: 0.01,
    ...overrides,
  };
}

export const collect = (options: GenerateOptions) => [...generateActivity(options)];

/** Three acute trusts of different sizes, used by the small-window tests. */
export const FEW_TRUSTS = ['RGT', 'RJ1', 'R0A'] as const;
