/**
 * The base of every panel model: a `changed` signal, a poll of `refresh()` that runs only
 * while the panel is shown (backing off on errors, standing by when the page is hidden),
 * request counters so that an older answer never overwrites the answer to a later request
 * of the same kind, and one way to run a request whose server message becomes the panel's
 * error.
 */
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { ApiError } from '../api/request';

const POLL_MS = 3000;
const IDLE_PHASES = new Set(['constructed', 'stopped', 'disposed']);

export abstract class PollingModel<Request extends string = string> {
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

  /** The server's message for the last failed request, shown by the panel. */
  error: string | null = null;
  loading = false;

  /** Number a new request of ``kind``; only the newest may store its answer. */
  protected next(kind: Request): number {
    this._requests[kind] = (this._requests[kind] ?? 0) + 1;
    return this._requests[kind] as number;
  }

  protected isLatest(kind: Request, request: number): boolean {
    return this._requests[kind] === request;
  }

  /**
   * Run a request; a server's message becomes the panel's error, not an exception. A
   * poll clears only an error a poll set, so a failed action's message stays up.
   */
  protected async act(
    action: () => Promise<void>,
    poll = false
  ): Promise<void> {
    this.loading = true;
    this._changed.emit();
    try {
      await action();
      if (!poll || this._pollError) {
        this.error = null;
        this._pollError = false;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) {
        throw error;
      }
      this.error = error.message;
      this._pollError = poll;
    } finally {
      this.loading = false;
      this._changed.emit();
    }
  }

  protected readonly _changed = new Signal<this, void>(this);
  private _poll: Poll;
  private _requests: Partial<Record<Request, number>> = {};
  private _pollError = false;
}
