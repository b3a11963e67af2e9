/** The secret and benign corpora in `test/fixtures/secrets/`. */
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

/** A log line (or a few lines) and the exact substrings of it that must not survive. */
export interface SecretCase {
  shape: string;
  line: string;
  secrets: string[];
}

const DIR = fileURLToPath(new URL('../../../test/fixtures/secrets/', import.meta.url));

export function secretCorpus(): SecretCase[] {
  return JSON.parse(readFileSync(`${DIR}corpus.json`, 'utf8')) as SecretCase[];
}

export function benignCorpus(): string[] {
  return JSON.parse(readFileSync(`${DIR}benign.json`, 'utf8')) as string[];
}
