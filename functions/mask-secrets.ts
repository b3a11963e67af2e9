/**
 * Masking of free text from a cluster, all three layers: the vendor detector (secretlint,
 * loaded on first use) and the core's generic rules and entropy check.
 */
import {vendorSecretRanges} from './adapters/secretlint-detector.js';
import {maskSecretsSync, stripAnsi} from './core/secrets/mask.js';

/**
 * `text` with every secret found by any layer replaced by MASK; lines with nothing secret
 * unchanged. Rejects when the vendor detector fails: no text is better than unmasked text.
 */
export async function maskSecrets(text: string): Promise<string> {
  const vendor = await vendorSecretRanges(stripAnsi(text));
  return maskSecretsSync(text, vendor);
}
