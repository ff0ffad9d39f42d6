// When a log line was written, from the timestamp near its start: ISO/Python/our own, nginx, Apache/CLF and syslog forms.
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// 2025-12-06 14:35:01 · 2025-12-06T14:35:01.123Z · 2025-12-06 14:35:01,123 +0900 · 2025/12/06 14:35:01 (nginx error log)
const ISO = /(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s?(Z|[+-]\d{2}:?\d{2})\b)?/;
// 06/Dec/2025:14:35:01 +0900 (nginx/Apache access logs)
const CLF = /(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-]\d{4}))?/;
// Dec  6 14:35:01 (syslog, no year)
const SYSLOG = /^([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})\b/;

// Only the start of a line: a date quoted inside a message is not when the line was written.
const HEAD = 100;

function withZone(local: [number, number, number, number, number, number, number], zone: string | undefined): number {
  const [y, mo, d, h, mi, s, ms] = local;
  if (!zone) return new Date(y, mo, d, h, mi, s, ms).getTime(); // no zone written: the host's local time, like our own log
  const utc = Date.UTC(y, mo, d, h, mi, s, ms);
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** Epoch ms of the line's timestamp, or undefined when its start holds none. `now` settles syslog's missing year. */
export function lineTime(line: string, now: Date = new Date()): number | undefined {
  const head = line.slice(0, HEAD);
  let m = ISO.exec(head);
  if (m) {
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    return withZone([+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms], m[8]);
  }
  m = CLF.exec(head);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase());
    if (month >= 0) return withZone([+m[3]!, month, +m[1]!, +m[4]!, +m[5]!, +m[6]!, 0], m[7]);
  }
  m = SYSLOG.exec(head);
  if (m) {
    const month = MONTHS.indexOf(m[1]!.toLowerCase());
    if (month < 0) return undefined;
    let time = new Date(now.getFullYear(), month, +m[2]!, +m[3]!, +m[4]!, +m[5]!).getTime();
    // A December line read in January belongs to last year.
    if (time > now.getTime() + 86_400_000)
      time = new Date(now.getFullYear() - 1, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!).getTime();
    return time;
  }
  return undefined;
}
