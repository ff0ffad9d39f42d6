// A token bucket: `burst` requests at once, then `perSecond`. One bucket for the whole log API, whoever asks: behind
// nginx every client has the same address, and a per-address table would itself be a memory to bound.
export interface RateLimit {
  /** True when the request may go ahead; else how many seconds until it may, for Retry-After. */
  take(now?: number): true | number;
}

export function rateLimit(burst: number, perSecond: number): RateLimit {
  let tokens = burst;
  let last = performance.now();
  return {
    take(now = performance.now()) {
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return Math.max(1, Math.ceil((1 - tokens) / perSecond));
    },
  };
}
