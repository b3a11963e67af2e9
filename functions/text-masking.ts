/**
 * The pass's one masking step for free texts from a cluster (see core/free-texts.ts): the
 * texts of what a decision will see are collected, each distinct one masked once per pass
 * (a fleet's failed Jobs mostly say the same few controller sentences), and put back.
 */
import {textsOf, type TextMap} from './core/free-texts.js';
import {MASK} from './core/secrets/mask.js';

/** Masks one text, all layers (`maskSecrets` of mask-secrets.ts); rejects when it cannot. */
export type MaskText = (text: string) => Promise<string>;

/** One pass's masking, with its memory of texts already masked. */
export class TextMasking {
  private readonly done = new Map<string, Promise<string>>();

  /**
   * `failed` is told of every text that could not be masked: that text is replaced by MASK
   * whole, since no text is better than an unmasked one.
   */
  constructor(
    readonly mask: MaskText,
    readonly failed: (error: unknown) => void,
  ) {}

  private one(text: string): Promise<string> {
    let masked = this.done.get(text);
    if (masked === undefined) {
      masked = this.mask(text).catch((error: unknown) => {
        this.failed(error);
        return MASK;
      });
      this.done.set(text, masked);
    }
    return masked;
  }

  /** `apply` (one of core/free-texts.ts's `map…Texts`) with every text masked. */
  async apply<T>(apply: (map: TextMap) => T): Promise<T> {
    const texts = textsOf(apply);
    if (texts.length === 0) return apply(text => text);
    const masked = new Map(
      await Promise.all(texts.map(async text => [text, await this.one(text)] as const)),
    );
    return apply(text => masked.get(text) ?? MASK);
  }
}
