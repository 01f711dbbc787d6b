/**
 * The base of every panel model: a `changed` signal, and a poll of `refresh()` that runs
 * only while the panel is shown (backing off on errors, standing by when the page is
 * hidden).
 */
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

const POLL_MS = 3000;
const IDLE_PHASES = new Set(['constructed', 'stopped', 'disposed']);

export abstract class PollingModel {
  constructor(intervalMs: number = POLL_MS) {
    this._poll = new Poll({
      factory: () => this.refresh(),
      frequency: { interval: intervalMs, backoff: true, max: 30 * 1000 },
      standby: 'when-hidden',
      auto: false
    });
  }

  /** Reload what the panel shows (what each poll tick does). */
  abstract refresh(): Promise<void>;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Start or resume polling (the panel calls it when shown). */
  start(): void {
    void this._poll.start();
  }

  /** Pause polling (the panel calls it when hidden). */
  stop(): void {
    void this._poll.stop();
  }

  /** Whether the poll is running (started and neither stopped nor disposed). */
  get polling(): boolean {
    return !IDLE_PHASES.has(this._poll.state.phase);
  }

  dispose(): void {
    this._poll.dispose();
    Signal.clearData(this);
  }

  protected readonly _changed = new Signal<this, void>(this);
  private _poll: Poll;
}
