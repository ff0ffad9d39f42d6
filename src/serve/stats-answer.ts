// `/api/system/stats/`: the host stats shape, CPU % over the last interval (sampled after every cycle), memory and
// disk read at most once a second however many ask (concurrent requests share one read).
import { collectHostStats, type CpuMeter } from '../stats/host-stats.js';
import { json, type Answer } from './health-answers.js';
import { codeOf, messageOf } from '../util/errors.js';

const FRESH_MS = 1000;

export function statsAnswerer(meter: CpuMeter, path = '/'): () => Promise<Answer> {
  let cached: { at: number; answer: Promise<Answer> } | undefined;
  return () => {
    const now = performance.now();
    if (!cached || now - cached.at >= FRESH_MS) {
      const answer = collectHostStats(path, meter.last()).then(
        (stats) => json(200, stats),
        (error: unknown) => json(500, { error: `cannot read host stats: ${codeOf(error) ?? messageOf(error)}` }),
      );
      cached = { at: now, answer };
    }
    return cached.answer;
  };
}
