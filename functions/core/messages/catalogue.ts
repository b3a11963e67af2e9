/**
 * The words of every message, one catalogue per language, derived from the registry: the
 * common words (words-en.ts, words-ja.ts) and each detection's own section, under its kind.
 * A new language is one more object of type `CommonWords` and one more section in each
 * detection's words; a missing one does not compile.
 */
import {DETECTIONS} from '../detections/registry.js';
import type {Language} from './languages.js';
import type {CommonWords} from './words.js';
import {en} from './words-en.js';
import {ja} from './words-ja.js';

/** The common words, by language. */
export const COMMON_WORDS: Record<Language, CommonWords> = {en, ja};

type Listed = (typeof DETECTIONS)[number];

/** Every word of every message in one language: the common ones and each kind's section. */
export type Catalogue = CommonWords & {[D in Listed as D['kind']]: D['words'][Language]};

function catalogueIn(language: Language): Catalogue {
  const sections = Object.fromEntries(DETECTIONS.map(d => [d.kind, d.words[language]]));
  // `fromEntries` forgets which section is whose; the registry's list says it.
  return {...COMMON_WORDS[language], ...sections} as Catalogue;
}

/** Every catalogue, by language. */
export const CATALOGUES: Record<Language, Catalogue> = {
  en: catalogueIn('en'),
  ja: catalogueIn('ja'),
};
