// Suggests the nearest valid name for a typo ("unti" → "unit") in config errors.
import { say } from '../i18n/index.js';

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest candidate when it is close enough to be a plausible typo, else undefined. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "nginx"?)` when a candidate is a plausible typo of the word, else nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = nearest(word, candidates);
  return guess ? say.config.didYouMean(guess) : '';
}

/** `no check named "ngnix" (did you mean "nginx"?)`: how every place that takes a check's name refuses an unknown one. */
export function noCheckNamed(name: string, names: readonly string[]): string {
  return say.config.noCheckNamed(name, didYouMean(name, names));
}
