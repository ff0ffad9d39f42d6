// The status page's response-time chart: an inline SVG of one check's last 24 h (no script, no external file).
import { escapeHtml } from '../util/escape-html.js';
import type { ChartPoint } from './status-page-model.js';

const WIDTH = 600;
const HEIGHT = 64;
/** A day of 5-minute runs is 288 points; averaging into buckets keeps the page small and the line readable. */
const MAX_POINTS = 144;

/** `points` oldest first, `fromS`..`toS` the chart's time span (epoch seconds). */
export function responseChart(points: readonly ChartPoint[], fromS: number, toS: number, title: string): string {
  const label = escapeHtml(title);
  const span = Math.max(1, toS - fromS);
  const x = (t: number) => ((t - fromS) / span) * WIDTH;
  const buckets = bucket(points, fromS, span);
  const top = niceCeiling(Math.max(1, ...buckets.map((b) => b.ms)));
  const y = (ms: number) => HEIGHT - 2 - (ms / top) * (HEIGHT - 4);

  // a gap of more than three buckets (no runs, or runs without a time) breaks the line instead of bridging it
  const gap = (span / MAX_POINTS) * 3;
  let path = '';
  let previous: number | undefined;
  for (const b of buckets) {
    path += `${previous === undefined || b.t - previous > gap ? 'M' : 'L'}${x(b.t).toFixed(1)} ${y(b.ms).toFixed(1)}`;
    previous = b.t;
  }
  const down = points
    .filter((point) => point.level === 'CRITICAL' || point.level === 'UNKNOWN')
    .map((point) => `<rect class="down" x="${(x(point.t) - 1).toFixed(1)}" y="0" width="3" height="${HEIGHT}"/>`)
    .join('');
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${label}">` +
    `<title>${label}</title>` +
    `<line class="grid" x1="0" y1="2" x2="${WIDTH}" y2="2"/><line class="grid" x1="0" y1="${HEIGHT - 2}" x2="${WIDTH}" y2="${HEIGHT - 2}"/>` +
    down +
    (path ? `<path class="line" d="${path}"/>` : '') +
    `</svg>` +
    `<span class="chart-top">${top} ms</span>`
  );
}

interface Bucket {
  t: number;
  ms: number;
}

function bucket(points: readonly ChartPoint[], fromS: number, span: number): Bucket[] {
  const width = span / MAX_POINTS;
  const sums = new Map<number, { t: number; sum: number; n: number }>();
  for (const point of points) {
    if (point.ms === null) continue;
    const index = Math.min(MAX_POINTS - 1, Math.max(0, Math.floor((point.t - fromS) / width)));
    const entry = sums.get(index) ?? { t: 0, sum: 0, n: 0 };
    entry.t += point.t;
    entry.sum += point.ms;
    entry.n++;
    sums.set(index, entry);
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => ({ t: e.t / e.n, ms: e.sum / e.n }));
}

/** 1, 2, 5, 10, 20, 50 … at or above `value`, so the scale reads as a round number. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
