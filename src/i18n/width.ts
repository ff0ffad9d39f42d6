// How wide text is on a terminal: Hangul and other East Asian wide characters take two cells, so columns of Korean
// words line up only when padded by cells, not by String.length.

/** Wide ranges: Hangul Jamo, CJK punctuation to Yi, Hangul syllables, compatibility ideographs, fullwidth forms. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

export function cellWidth(text: string): number {
  return text.length + (text.match(WIDE)?.length ?? 0);
}

/** `text` padded with spaces to `width` terminal cells. */
export function padCells(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - cellWidth(text)));
}
