/**
 * Layer 1 of secret masking: vendor token shapes (cloud keys, GitHub, Slack, npm, Stripe,
 * OpenAI, database URLs, private keys…) found by secretlint's recommended preset, run
 * in-process on a string. secretlint is loaded on first use, so only a pass that makes an
 * excerpt pays for it, and a function instance pays once.
 */
import type {SecretRange} from '../core/secrets/mask.js';

type LintSource = typeof import('@secretlint/core').lintSource;
type SecretLintCoreConfig = Parameters<LintSource>[0]['options']['config'];

interface Loaded {
  lintSource: LintSource;
  config: SecretLintCoreConfig;
}

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';

let loading: Promise<Loaded> | null = null;

async function load(): Promise<Loaded> {
  const [core, preset] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-preset-recommend'),
  ]);
  return {
    lintSource: core.lintSource,
    config: {
      rules: [
        {
          id: PRESET_ID,
          rule: preset.creator,
          // A bare AWS access key ID is off by default (it is no secret alone); in a log it
          // travels with its secret, and shows whose key it is.
          rules: [{id: '@secretlint/secretlint-rule-aws', options: {enableIDScanRule: true}}],
        },
      ],
    },
  };
}

/** Loads secretlint now (the first call does; later ones share it). */
function loaded(): Promise<Loaded> {
  if (loading === null) {
    loading = load();
    // A failed load is retried by the next caller rather than remembered.
    loading.catch(() => (loading = null));
  }
  return loading;
}

/** Loads secretlint ahead of the first excerpt (the benchmark times it). */
export async function loadSecretlint(): Promise<void> {
  await loaded();
}

/**
 * The ranges of `text` (already without escape sequences) that secretlint reports. Rejects
 * when secretlint cannot be loaded or fails: the caller must not keep the text unmasked.
 */
export async function vendorSecretRanges(text: string): Promise<SecretRange[]> {
  const {lintSource, config} = await loaded();
  const result = await lintSource({
    source: {content: text, filePath: 'log.txt', contentType: 'text'},
    options: {config, noPhysicFilePath: true, maskSecrets: true},
  });
  return result.messages.map(m => ({start: m.range[0], end: m.range[1]}));
}
