// The progress line of a long CLI run: one line on stderr, rewritten in place, shown only to a person at a
// terminal (never in a pipe or a log file) and only once the run has taken long enough to need it.
import type { CycleProgress } from '../pipeline/poll-cycle.js';
import { counted } from '../core/words.js';

/** What the progress line writes to: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** The line appears only once the run has taken this long (default 1 s). */
  afterMs?: number;
  /** At most one rewrite per this many milliseconds (default 100 ms). */
  everyMs?: number;
  now?: () => number;
}

const ERASE_LINE = '\r\u001b[K';

function describe(p: CycleProgress, verb: string): string {
  return `${verb}: ${p.feedsDone.toLocaleString('en-US')}/${counted(p.feedsTotal, 'feed')}, ${counted(p.items, 'item')} read`;
}

export class ProgressLine {
  private readonly started: number;
  private readonly afterMs: number;
  private readonly everyMs: number;
  private readonly now: () => number;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly verb: string,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.afterMs = options.afterMs ?? 1000;
    this.everyMs = options.everyMs ?? 100;
  }

  /** Whether anything will ever be written: only to a terminal. */
  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(progress: CycleProgress): void {
    if (!this.enabled) return;
    const at = this.now();
    if (at - this.started < this.afterMs) return;
    // The last feed always shows, so the final count is the one left on screen until done() clears it.
    const last = progress.feedsDone === progress.feedsTotal;
    if (!last && at - this.lastWrite < this.everyMs) return;
    this.lastWrite = at;
    this.shown = true;
    this.stream.write(`${ERASE_LINE}${describe(progress, this.verb)}`);
  }

  /** Clears the line, so that what the command prints next starts on a clean line. */
  done(): void {
    if (!this.shown) return;
    this.shown = false;
    this.stream.write(ERASE_LINE);
  }
}
