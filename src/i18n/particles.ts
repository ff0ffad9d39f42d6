// Korean particles that change with the word before them (은/는, 이/가, 을/를, 과/와, (으)로): read the final syllable.
//
// A Hangul syllable carries its final consonant (batchim) in its code point. Check names, hosts and channel labels are
// mostly Latin, so those are read the way Korean operators say them (docs/language.md#particles): digits by their
// Korean names (1 일, 3 삼, 10 십 …), an all-capitals word letter by letter (L 엘, M 엠, N 엔, R 알), and a lower-case
// word by its sound: a final l, m, n, ng or ck closes the syllable (mail 메일, cron 크론, slack 슬랙); anything else
// ends in a vowel sound (nginx 엔진엑스, redis 레디스, disk 디스크, api 에이피아이).

/** The two forms: after a closing consonant, after a vowel. (으)로 also takes 로 after ㄹ. */
const FORMS = {
  '은/는': ['은', '는'],
  '이/가': ['이', '가'],
  '을/를': ['을', '를'],
  '과/와': ['과', '와'],
  '으로/로': ['으로', '로'],
} as const;
export type Particle = keyof typeof FORMS;

/** What the word's last sound is: a vowel, the consonant ㄹ, or another closing consonant. */
type Ending = 'vowel' | 'rieul' | 'consonant';

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
const RIEUL = 8; // index of ㄹ among the 28 final-consonant slots (0 = none)

// 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구 (a trailing 0 is 십/백/천/만: all closed, none in ㄹ)
const DIGIT: Ending[] = [
  'consonant',
  'rieul',
  'vowel',
  'consonant',
  'vowel',
  'vowel',
  'consonant',
  'rieul',
  'rieul',
  'vowel',
];
// A, B, C … as Korean says the letter names: 에이, 비, 씨, 디, 이, 에프, 지, 에이치, 아이, 제이, 케이, 엘, 엠, 엔, 오, 피, 큐, 알, 에스, 티, 유, 브이, 더블유, 엑스, 와이, 제트
const LETTER: Record<string, Ending> = { L: 'rieul', M: 'consonant', N: 'consonant', R: 'rieul' };

function endingOf(word: string): Ending {
  // The last letter, digit or syllable: "email (ops@example.com)" ends in "com", "nginx:" in "nginx".
  const match = /([\p{L}\p{N}]+)[^\p{L}\p{N}]*$/u.exec(word);
  const last = match?.[1] ?? '';
  const char = last.at(-1) ?? '';
  const code = char.codePointAt(0) ?? 0;
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) {
    const final = (code - HANGUL_FIRST) % 28;
    return final === 0 ? 'vowel' : final === RIEUL ? 'rieul' : 'consonant';
  }
  if (/[0-9]/.test(char)) return char === '0' ? 'consonant' : DIGIT[Number(char)]!;
  if (/^[A-Z]+$/.test(last.replace(/[0-9]/g, '')) && /[A-Z]$/.test(last)) return LETTER[char] ?? 'vowel';
  const lower = last.toLowerCase();
  if (/(ng|ck|[mn])$/.test(lower)) return 'consonant';
  if (/l$/.test(lower)) return 'rieul';
  return 'vowel';
}

/** The particle's form for `word` alone: particle('nginx', '은/는') → '는'. */
export function particle(word: string, which: Particle): string {
  const ending = endingOf(word);
  const [closed, open] = FORMS[which];
  if (which === '으로/로') return ending === 'consonant' ? closed : open;
  return ending === 'vowel' ? open : closed;
}

/** The word with its particle: withParticle('디스크', '이/가') → '디스크가'. */
export function withParticle(word: string, which: Particle): string {
  return `${word}${particle(word, which)}`;
}
