/**
 * SIGTERM (and SIGINT) while the function runs a pass. Cloud Run stops an instance with SIGTERM
 * and kills it 10 seconds later; functions-framework answers both signals by exiting at once,
 * which would cut a pass between a send and its record. So while a pass runs, the signal is
 * held: the pass is told to stop (it starts no new read or send, releases the send in flight
 * marked unknown, and records what was sent), and once it has answered — or `windDownMs` has
 * passed — the signal is delivered again to the listeners it had (functions-framework's exit),
 * or, with none, to Node's default (the process ends). A second signal is delivered at once.
 * No pass running: the signal is not touched.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type HeldSignal = (typeof SIGNALS)[number];

// Cloud Run sends SIGKILL 10 s after SIGTERM: the framework's own exit must come first, with
// time to spare for it and for the answer to leave.
export const WIND_DOWN_MS = 8_000;

/** One pass under the hold: stop when `signal` aborts; call `end` once it has answered. */
export interface HeldPass {
  signal: AbortSignal;
  end(): void;
}

/** Something to say when a signal is held or let go (the function's logger). */
export type HoldLog = (message: string, fields?: Record<string, unknown>) => void;

/** Holds SIGTERM/SIGINT while passes run; see the module comment. */
export class SignalHold {
  private running = 0;
  private controller: AbortController | null = null;
  private saved: Map<HeldSignal, Array<(...args: unknown[]) => void>> | null = null;
  private received: HeldSignal | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly ours = new Map<HeldSignal, () => void>();

  constructor(
    private readonly log: HoldLog,
    private readonly windDownMs = WIND_DOWN_MS,
  ) {}

  /** A pass begins; null when a signal came already (the instance is going away: run nothing). */
  begin(): HeldPass | null {
    if (this.received !== null) return null;
    if (this.running === 0) this.hold();
    this.running++;
    const controller = this.controller as AbortController;
    let ended = false;
    return {
      signal: controller.signal,
      end: () => {
        if (ended) return;
        ended = true;
        this.running--;
        if (this.running === 0) this.release();
      },
    };
  }

  private hold(): void {
    this.controller = new AbortController();
    this.saved = new Map();
    for (const name of SIGNALS) {
      this.saved.set(name, process.listeners(name) as Array<(...args: unknown[]) => void>);
      process.removeAllListeners(name);
      const listener = () => this.onSignal(name);
      this.ours.set(name, listener);
      process.on(name, listener);
    }
  }

  private onSignal(name: HeldSignal): void {
    if (this.received !== null) {
      this.log(`${name} again: stopping now`);
      this.release();
      return;
    }
    this.received = name;
    this.log(
      `${name}: the pass sends nothing more and records what was sent before the instance stops`,
      {
        windDownMs: this.windDownMs,
      },
    );
    this.controller?.abort();
    this.timer = setTimeout(() => {
      this.log(`${name}: the pass did not wind down within ${this.windDownMs} ms; stopping now`);
      this.release();
    }, this.windDownMs);
  }

  /** Gives the signals back to their listeners, and delivers the one held, if any. */
  private release(): void {
    if (this.saved === null) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const name of SIGNALS) {
      const ours = this.ours.get(name);
      if (ours !== undefined) process.off(name, ours);
      for (const listener of this.saved.get(name) ?? []) process.on(name, listener);
    }
    this.ours.clear();
    this.saved = null;
    if (this.received !== null) process.kill(process.pid, this.received);
  }
}
