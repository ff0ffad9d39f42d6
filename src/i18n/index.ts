// The language the program speaks: `say` is the catalogue in use, chosen once per process before anything is printed.
//
// Why one module-level choice and not a parameter (docs/language.md#how-it-works): a process serves one config, so one
// language, like its time zone; the words are needed by checks, the engine, log, terminal, alerts, every channel,
// report and status page, and threading a catalogue through all of their signatures would buy nothing but churn. The
// cli calls useLanguage() from --lang or the config before a command prints, and again once the config is validated.
// English is bundled with the run; Korean is imported only when asked for, so an English run never parses it.
import { en, type Catalogue } from './en.js';

export type { Catalogue } from './en.js';

export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The words in use. A live binding: read it at the moment of speaking (`say.run.started(…)`), never copy it at load. */
export let say: Catalogue = en;
export let language: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/** Switch the words to `lang` (English for undefined); loads the Korean catalogue the first time it is asked for. */
export async function useLanguage(lang: Language | undefined): Promise<void> {
  const wanted = lang ?? 'en';
  if (wanted === language) return;
  say = wanted === 'ko' ? (await import('./ko.js')).ko : en;
  language = wanted;
}

/**
 * The `language:` a config text sets, read without parsing the YAML: so that the problems of a config that fails to
 * validate are told in its own language. The validated config has the last word (useLanguage again after loading).
 */
export function languageIn(text: string): Language | undefined {
  const found = /^language:[ \t]*["']?([a-z]+)["']?[ \t]*(?:#.*)?$/m.exec(text)?.[1];
  return isLanguage(found) ? found : undefined;
}
