// Local-time formatting for log lines and the JSON report (ISO 8601 with the host's UTC offset).

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2025-12-06 14:35:01` in local time, as the log file writes it. */
export function localStamp(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `2025-12-06T14:35:01+09:00`: local time with its offset. */
export function localIso(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${localStamp(date).replace(' ', 'T')}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Round to one decimal, as reports show milliseconds and percentages. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** 15 significant digits: binary float noise goes (6.9 ms / 1000 is 0.0069, not 0.006900000000000001). */
export function withoutFloatNoise(value: number): number {
  return Number(value.toPrecision(15));
}
