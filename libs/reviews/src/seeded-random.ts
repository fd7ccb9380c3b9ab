/**
 * A reproducible random stream from a recorded seed string: anyone holding the seed replays the
 * draw. xoshiro128** (Blackman and Vigna) seeded through splitmix32 over an FNV-1a hash of the seed.
 */
export interface RandomStream {
  /** A uniform integer in [0, bound). */
  below(bound: number): number;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

export function seededRandom(seed: string): RandomStream {
  const init = splitmix32(fnv1a(seed));
  const s = [init(), init(), init(), init()];
  // xoshiro's state must not be all zero; splitmix32 makes that practically impossible, but be exact.
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  return {
    below(bound: number): number {
      if (!Number.isInteger(bound) || bound <= 0) throw new RangeError(`bound must be a positive integer, got ${bound}`);
      // Rejection sampling: no modulo bias, so every expert of a stratum is equally likely.
      const limit = Math.floor(0x100000000 / bound) * bound;
      let value = next();
      while (value >= limit) value = next();
      return value % bound;
    },
  };
}
