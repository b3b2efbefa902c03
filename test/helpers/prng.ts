/**
 * xorshift32: a deterministic stream of numbers in [0, 1) for a seed, so a fuzz spec that fails
 * can be replayed with the same FUZZ_SEED.
 */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}
