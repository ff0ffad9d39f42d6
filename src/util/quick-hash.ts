// A fast 128-bit non-cryptographic string hash (cyrb128, public domain, by bryc) for cache keys read on every run.
//
// Why not node:crypto: importing it loads ~17 internal modules, ~5 ms of a ~200 ms cron run (docs/performance.md).
// The config cache needs to notice change, not resist an attacker: whoever can write the config can change the run
// anyway, and a cache file anyone else could have written is never read (src/config/cache.ts).

export function quickHash(text: string): string {
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
  return [h1, h2, h3, h4, text.length].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}
