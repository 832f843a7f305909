// A small seeded PRNG and the distributions the generator draws from. sfc32 (Chris Doty-Humphrey's
// "small fast chaotic" generator, 128-bit state, passes PractRand to 2^40+) seeded from a string
// through cyrb128, a 128-bit string hash. Deterministic across Node versions: only 32-bit integer
// arithmetic and Math.log/Math.sqrt/Math.cos on the results.

/** cyrb128: four 32-bit words from a string, the seed of one stream. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Log-normal with the given median and shape sigma. */
  logNormal(median: number, sigma: number): number;
  /** Poisson-distributed count with the given mean. */
  poisson(mean: number): number;
  /** An index drawn with the given (not necessarily normalised) weights. */
  weighted(weights: readonly number[]): number;
  /** A version 4 UUID (lowercase canonical form) from the stream. */
  uuid(): string;
  /** n random bytes as hex. */
  hex(bytes: number): string;
}

/** A deterministic stream for a seed string; derive independent streams with distinct strings. */
export function createRng(seed: string): Rng {
  return new Sfc32(seed);
}

// A class rather than closures: one allocation per stream, methods shared on the prototype.
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(seed);
    // Discard the first outputs: sfc32 mixes its state over its first few rounds.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    let { a, b, c, d } = this;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return t >>> 0;
  }

  float(): number {
    return this.uint32() / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    // Knuth: multiply uniforms until the product falls below e^-mean.
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  weighted(weights: readonly number[]): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  uuid(): string {
    const w0 = this.uint32();
    const w1 = ((this.uint32() & 0xffff0fff) | 0x00004000) >>> 0; // version 4
    const w2 = ((this.uint32() & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
    const w3 = this.uint32();
    return `${hex8(w0)}-${HEX[w1 >>> 24]}${HEX[(w1 >>> 16) & 255]}-${HEX[(w1 >>> 8) & 255]}${HEX[w1 & 255]}-${HEX[w2 >>> 24]}${HEX[(w2 >>> 16) & 255]}-${HEX[(w2 >>> 8) & 255]}${HEX[w2 & 255]}${hex8(w3)}`;
  }

  hex(bytes: number): string {
    let s = '';
    for (let i = 0; i < bytes; i += 4) s += hex8(this.uint32());
    return s.slice(0, bytes * 2);
  }
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);
const hex8 = (w: number): string =>
  HEX[w >>> 24]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!;
