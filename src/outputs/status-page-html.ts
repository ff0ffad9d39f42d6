// The status page itself: one self-contained HTML file (inline CSS and SVG; no font or CDN; a script only when serve
// serves it), fine on a phone.
import { createHash } from 'node:crypto';
import { say } from '../i18n/index.js';
import type { Level } from '../levels.js';
import type { Incident } from '../report/report.js';
import { formatMs, formatPercent, formatSpan } from '../report/render.js';
import { maskText } from '../util/mask.js';
import { localIso, localStamp } from '../util/time.js';
import { escapeHtml as esc } from '../util/escape-html.js';
import { responseChart } from './status-page-chart.js';
import { SLOTS, type CheckRow, type StatusModel } from './status-page-model.js';

const CLASS: Record<Level, string> = { OK: 'ok', WARNING: 'warning', CRITICAL: 'critical', UNKNOWN: 'unknown' };

/** Text from history is masked again and escaped: it was masked when written, but a page is public. */
const text = (value: string) => esc(maskText(value));
/** A date and minute as people of the page's language write it (2025-12-06 14:35, 2025년 12월 6일 14:35). */
const at = (seconds: number) => say.dateTime(localStamp(new Date(seconds * 1000)));
/** A date in the page's text: a <time>, which the CSS never breaks across lines (a phone would split date and hour). */
const dateTag = (date: Date) => `<time datetime="${esc(localIso(date))}">${esc(say.dateTime(localStamp(date)))}</time>`;

/** How the page refreshes: by default a meta refresh every 60 s (a file nginx serves); serve swaps in a script. */
export interface PageOptions {
  /** An inline script (allowed by its hash in the page's CSP) that replaces the meta refresh. */
  script?: string;
  /** Where the page's "Machine-readable" link points (status.json beside the file by default). */
  jsonHref?: string;
}

export function renderStatusPage(model: StatusModel, options: PageOptions = {}): string {
  const { page } = say;
  const affected = model.rows.filter((row) => row.current && row.current.level !== 'OK');
  const detail = affected.length
    ? affected.map((row) => page.affected(row.name, page.state[row.current!.level])).join(' · ')
    : page.allUp(model.rows.length);
  const title = page.title(model.host, page.banner[model.level]);
  const now = new Date(model.now);
  const offset = localIso(now).slice(19);
  return `<!doctype html>
<html lang="${say.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.script ? scriptHead(options.script) : REFRESH_HEAD}
<meta name="generator" content="neuronova-health-check">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(model.host)}</h1><p class="updated">${esc(page.updated)} <time datetime="${esc(localIso(now))}">${esc(say.dateTime(localStamp(now)))}</time></p></header>
<section class="banner ${CLASS[model.level]}" id="banner"><strong>${esc(page.banner[model.level])}</strong><span>${text(detail)}</span></section>
${availability(model)}
<section id="checks"><h2>${esc(page.checks)}</h2>
${model.rows.map((row) => checkRow(row, model.now)).join('\n')}
</section>
${incidents(model.incidents)}
<footer>${page.footer(esc(offset), `<a href="${esc(options.jsonHref ?? 'status.json')}">${esc(options.jsonHref ?? 'status.json')}</a>`)}</footer>
</main>
</body>
</html>
`;
}

const REFRESH_HEAD = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta http-equiv="refresh" content="60">`;

/** The script may run (by its hash) and fetch this origin; nothing else is loaded. */
function scriptHead(script: string): string {
  const hash = createHash('sha256').update(script).digest('base64');
  return `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; connect-src 'self'">
<script>${script}</script>`;
}

function availability(model: StatusModel): string {
  const { day, week, month } = model.availability;
  const { page } = say;
  const cell = (label: string, percent: number | null) =>
    `<div><span class="label">${esc(label)}</span><span class="value">${esc(formatPercent(percent))}</span></div>`;
  const verdict =
    month.met === null
      ? ''
      : `<div class="verdict ${month.met ? 'ok' : 'critical'}">${esc(page.target(String(month.target_percent), month.met))}</div>`;
  return `<section class="availability" id="availability"><h2>${esc(page.availability)}</h2><div class="cells">${cell(page.day, day.percent)}${cell(page.week, week.percent)}${cell(page.month, month.percent)}</div>${verdict}</section>`;
}

function checkRow(row: CheckRow, nowMs: number): string {
  const { page } = say;
  const level = row.current?.level;
  const state = level
    ? `<span class="state ${CLASS[level]}">${esc(page.state[level])}</span>`
    : `<span class="state none">${esc(page.noData)}</span>`;
  const message = row.current
    ? `<p class="message">${text(row.current.message)} <span class="when">· ${dateTag(new Date(row.current.t * 1000))}</span></p>`
    : '';
  const empty = Array.from(
    { length: SLOTS - row.slots.length },
    () => `<span class="slot none" title="${esc(page.noRun)}"></span>`,
  ).join('');
  const slots = row.slots
    .map(
      (slot) =>
        `<span class="slot ${CLASS[slot.level]}" title="${text(`${at(slot.t)} · ${slot.level} · ${slot.message}`)}"></span>`,
    )
    .join('');
  const first = row.slots[0];
  const age = first ? nowMs - first.t * 1000 : 0;
  const since = !first ? '' : age < 60_000 ? page.justNow : page.ago(say.duration(age));
  const uptime = page.uptime(
    formatPercent(row.uptime.day),
    formatPercent(row.uptime.week),
    formatPercent(row.uptime.month),
  );
  return `<article class="check" data-check="${esc(row.name)}" data-level="${level ?? 'NONE'}">
<div class="head"><span class="dot ${level ? CLASS[level] : 'none'}"></span><h3>${esc(row.name)}</h3>${row.type ? `<span class="type">${esc(row.type)}</span>` : ''}${state}</div>
${message}<div class="bar" aria-label="${esc(page.lastRuns(SLOTS))}">${empty}${slots}</div>
<div class="legend"><span>${esc(since)}</span><span class="uptime">${esc(uptime)}</span><span>${esc(page.now)}</span></div>
${chart(row, nowMs)}</article>`;
}

function chart(row: CheckRow, nowMs: number): string {
  if (row.chart.length === 0 || !row.chartStats) return '';
  const s = row.chartStats;
  const caption = say.page.responseTime(formatMs(s.avg), formatMs(s.p95), formatMs(s.max));
  const toS = nowMs / 1000;
  return `<figure class="rt">${responseChart(row.chart, toS - 86_400, toS, `${row.name}: ${caption}`)}<figcaption>${esc(caption)}</figcaption></figure>`;
}

function incidents(list: Incident[]): string {
  const { page } = say;
  if (list.length === 0)
    return `<section id="incidents"><h2>${esc(page.incidents)}</h2><p class="quiet">${esc(page.noIncidents)}</p></section>`;
  const items = list.map((incident) => {
    const start = dateTag(new Date(incident.start));
    const end =
      incident.end === null ? `<span class="ongoing">${esc(page.ongoing)}</span>` : dateTag(new Date(incident.end));
    return `<li class="incident ${CLASS[incident.worst_level]}"><div><strong>${esc(incident.check)}</strong> <span class="state ${CLASS[incident.worst_level]}">${incident.worst_level}</span></div>
<div class="span">${start} → ${end} · ${esc(formatSpan(incident.duration_s))}</div><div class="message">${text(incident.first_message)}</div></li>`;
  });
  return `<section id="incidents"><h2>${esc(page.incidents)}</h2><ol>${items.join('\n')}</ol></section>`;
}

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--fg:#1d2430;--dim:#667085;--line:#e4e7ec;--ok:#2f9e44;--warning:#e8890c;--critical:#e03131;--unknown:#7048e8;--none:#d0d5dd}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1a1f26;--fg:#e6e8eb;--dim:#98a2b3;--line:#2a313b;--none:#3a424e}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:880px;margin:0 auto;padding:16px}
header{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:4px 16px}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.05em;margin:1.4em 0 .6em;color:var(--dim);text-transform:uppercase;letter-spacing:.04em}
h3{font-size:1.05em;margin:0;overflow-wrap:anywhere}
.updated,.quiet,footer,.legend,.when,.type,figcaption,.label{color:var(--dim)}
.updated{margin:0;font-size:.9em}
.banner{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline;margin:12px 0;padding:14px 16px;border-radius:10px;color:#fff}
.banner strong{font-size:1.2em}
.banner.ok{background:var(--ok)}.banner.warning{background:var(--warning)}.banner.critical{background:var(--critical)}.banner.unknown{background:var(--unknown)}
.availability .cells{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}
.availability .cells div{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;display:flex;flex-direction:column}
.availability .value{font-size:1.3em;font-weight:600;font-variant-numeric:tabular-nums}
.verdict{margin-top:8px;font-weight:600}.verdict.ok{color:var(--ok)}.verdict.critical{color:var(--critical)}
.check{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin:0 0 10px}
.head{display:flex;align-items:center;gap:8px;flex-wrap:wrap}
.type{font-size:.85em}
.dot{width:10px;height:10px;border-radius:50%;flex:none}
.state{margin-left:auto;font-weight:600;font-size:.9em}
.incident .state{margin-left:6px}
.dot.ok{background:var(--ok)}.dot.warning{background:var(--warning)}.dot.critical{background:var(--critical)}.dot.unknown{background:var(--unknown)}.dot.none{background:var(--none)}
.state.ok{color:var(--ok)}.state.warning{color:var(--warning)}.state.critical{color:var(--critical)}.state.unknown{color:var(--unknown)}.state.none{color:var(--dim)}
.message{margin:4px 0 8px;overflow-wrap:anywhere}
.bar{display:flex;gap:1px;height:28px}
.slot{flex:1 1 0;min-width:0;border-radius:1px;background:var(--none)}
.slot.ok{background:var(--ok)}.slot.warning{background:var(--warning)}.slot.critical{background:var(--critical)}.slot.unknown{background:var(--unknown)}
.slot:hover{opacity:.6}
.legend{display:flex;justify-content:space-between;gap:8px;font-size:.8em;margin-top:3px}
.legend .uptime{text-align:center}
.rt{margin:10px 0 0;position:relative}
.chart{display:block;width:100%;height:64px;background:var(--bg);border-radius:6px}
.chart .line{fill:none;stroke:#3b82f6;stroke-width:1.5;vector-effect:non-scaling-stroke}
.chart .grid{stroke:var(--line);vector-effect:non-scaling-stroke}
.chart .down{fill:var(--critical);opacity:.35}
.chart-top{position:absolute;top:2px;left:6px;font-size:.7em;color:var(--dim)}
figcaption{font-size:.8em;margin-top:2px}
#incidents ol{list-style:none;padding:0;margin:0}
.incident{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--none);border-radius:8px;padding:8px 12px;margin-bottom:8px}
.incident.critical{border-left-color:var(--critical)}.incident.unknown{border-left-color:var(--unknown)}.incident.warning{border-left-color:var(--warning)}
.incident .span{color:var(--dim);font-size:.9em}
.ongoing{color:var(--critical);font-weight:600}
footer{margin:24px 0 8px;font-size:.85em}
a{color:inherit}
time{white-space:nowrap}
@media (max-width:520px){main{padding:10px}.legend{flex-wrap:wrap}.legend .uptime{order:3;flex-basis:100%;text-align:left}.availability .value{font-size:1.1em}}
`;
