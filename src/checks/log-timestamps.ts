// Recognises the timestamp at the head of a log line in the common formats, and turns it into epoch milliseconds.

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';

/** Only the head of a line is searched: a date deep inside a message is not the line's timestamp. */
const HEAD = 256;

export interface TimestampFormat {
  name: string;
  /** Epoch ms of the line's timestamp, or undefined when the line does not start with this format. */
  parse(head: string, now: Date): number | undefined;
}

/** Local wall-clock time, or an exact instant when the log wrote its UTC offset. */
function toEpoch(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  fraction: string | undefined,
  zone: string | undefined,
): number {
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  if (!zone) return new Date(y, mo, d, h, mi, s, ms).getTime();
  zone = zone.trim();
  if (zone === 'Z') return Date.UTC(y, mo, d, h, mi, s, ms);
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  return Date.UTC(y, mo, d, h, mi, s, ms) - sign * offsetMin * 60_000;
}

function format(name: string, regex: RegExp, build: (m: RegExpExecArray, now: Date) => number): TimestampFormat {
  return {
    name,
    parse(head, now) {
      const m = regex.exec(head);
      if (!m) return undefined;
      const value = build(m, now);
      return Number.isFinite(value) ? value : undefined;
    },
  };
}

const n = (text: string | undefined) => Number(text);

/**
 * A file is read with one format, the one most lines at its end carry (ties go to the earlier one here), so a date
 * inside a continuation line in another format is not taken for a new entry.
 */
export const TIMESTAMP_FORMATS: readonly TimestampFormat[] = [
  // This program's `[2025-12-06 14:35:01]`, ISO 8601 `2025-12-06T14:35:01.123+09:00`, Python logging
  // `2025-12-06 14:35:01,123`, Django `[2025-12-06 14:35:01,123]`, gunicorn `[2025-12-06 14:35:01 +0900]`,
  // Celery `[2025-12-06 14:35:01,123: ERROR/MainProcess]`: at the start of the line, maybe after `[`.
  format('iso', /^\[?(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z| ?[+-]\d\d(?::?\d\d)?)?/, (m) =>
    toEpoch(n(m[1]), n(m[2]) - 1, n(m[3]), n(m[4]), n(m[5]), n(m[6]), m[7], m[8]),
  ),
  // nginx and Apache access logs: `127.0.0.1 - - [06/Dec/2025:14:35:01 +0900] "GET / HTTP/1.1" …`
  format('access', new RegExp(`\\[(\\d\\d)/${MON}/(\\d{4}):(\\d\\d):(\\d\\d):(\\d\\d) ([+-]\\d{4})\\]`), (m) =>
    toEpoch(n(m[3]), MONTHS[m[2]!]!, n(m[1]), n(m[4]), n(m[5]), n(m[6]), undefined, m[7]),
  ),
  // nginx error log: `2025/12/06 14:35:01 [error] 1234#0: …`
  format('nginx-error', /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)/, (m) =>
    toEpoch(n(m[1]), n(m[2]) - 1, n(m[3]), n(m[4]), n(m[5]), n(m[6]), undefined, undefined),
  ),
  // Apache error log: `[Sat Dec 06 14:35:01.123456 2025] [core:error] …`
  format(
    'apache-error',
    new RegExp(
      `^\\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MON} +(\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d+))? (\\d{4})\\]`,
    ),
    (m) => toEpoch(n(m[7]), MONTHS[m[1]!]!, n(m[2]), n(m[3]), n(m[4]), n(m[5]), m[6], undefined),
  ),
  // JSON and logfmt lines: `{"time":"2025-12-06T14:35:01.123Z",…}`, `ts=2025-12-06T14:35:01Z …` (the T is required here).
  format(
    'iso-inline',
    /(?:^|["'=\s[])(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?/,
    (m) => toEpoch(n(m[1]), n(m[2]) - 1, n(m[3]), n(m[4]), n(m[5]), n(m[6]), m[7], m[8]),
  ),
  // syslog: `Dec  6 14:35:01 host program[123]: …` — no year: the latest one not in the future.
  format('syslog', new RegExp(`^${MON} +(\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d) `), (m, now) => {
    const build = (year: number) =>
      toEpoch(year, MONTHS[m[1]!]!, n(m[2]), n(m[3]), n(m[4]), n(m[5]), undefined, undefined);
    const thisYear = build(now.getFullYear());
    return thisYear > now.getTime() + 86_400_000 ? build(now.getFullYear() - 1) : thisYear;
  }),
];

/** A line starting with white space is never a new entry (traceback frames, wrapped messages). */
export function lineHead(line: string): string | undefined {
  if (line === '' || line[0] === ' ' || line[0] === '\t') return undefined;
  return line.length > HEAD ? line.slice(0, HEAD) : line;
}

/** The first format that reads a timestamp from this line, with the timestamp. */
export function detectTimestamp(line: string, now: Date): { format: TimestampFormat; at: number } | undefined {
  const head = lineHead(line);
  if (head === undefined) return undefined;
  for (const candidate of TIMESTAMP_FORMATS) {
    const at = candidate.parse(head, now);
    if (at !== undefined) return { format: candidate, at };
  }
  return undefined;
}

/** The format most of these lines start with (a line may fit several), or undefined when none fits any. */
export function voteFormat(lines: readonly string[], now: Date): TimestampFormat | undefined {
  const votes = new Map<TimestampFormat, number>();
  for (const line of lines) {
    const head = lineHead(line);
    if (head === undefined) continue;
    for (const candidate of TIMESTAMP_FORMATS) {
      if (candidate.parse(head, now) !== undefined) votes.set(candidate, (votes.get(candidate) ?? 0) + 1);
    }
  }
  let best: TimestampFormat | undefined;
  for (const candidate of TIMESTAMP_FORMATS) {
    if ((votes.get(candidate) ?? 0) > (best ? votes.get(best)! : 0)) best = candidate;
  }
  return best;
}
