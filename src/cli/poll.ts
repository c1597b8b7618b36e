// `compound-watch poll --once`: one poll cycle over the configured feeds, with the store; prints what it kept.
import { buildCore, feedsToPoll } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { runPollCycle, type CycleResult } from '../pipeline/poll-cycle.js';
import { noUsableSource } from './errors.js';
import { ProgressLine, type ProgressOptions, type ProgressStream } from './progress.js';
import { counted } from '../core/words.js';

export function renderCycle(result: CycleResult): string {
  const lines: string[] = [];
  for (const f of result.feeds) {
    const head =
      f.status === 'error'
        ? `✗ ${f.source}: ${f.error}`
        : f.status === 'not_modified'
          ? `= ${f.source}: not modified`
          : f.status === 'not_due'
            ? `… ${f.source}: not due yet`
            : `✓ ${f.source}: ${counted(f.entries, 'entry', 'entries')}, ${f.newItems.toLocaleString('en-US')} new${f.firstPoll ? ' (first poll: recorded, nothing posted)' : ''}`;
    lines.push(head);
    for (const r of f.records.filter((x) => x.relevance.relevant)) {
      lines.push(`    kept  ${r.item.title}  [story ${r.storyId}]`);
      lines.push(`          why: ${r.relevance.reasons.join('; ')}`);
    }
  }
  const kept = result.feeds.reduce((n, f) => n + f.records.filter((r) => r.relevance.relevant).length, 0);
  lines.push(`${counted(kept, 'new relevant item')}, ${counted(result.changed.size, 'story', 'stories')} created or updated`);
  return lines.join('\n');
}

export async function pollOnce(opts: {
  config: Config;
  logger: Logger;
  stdout: (s: string) => void;
  json: boolean;
  stderr?: ProgressStream;
  progress?: ProgressOptions;
}): Promise<number> {
  const core = await buildCore(opts.config, opts.logger);
  const progress = new ProgressLine(opts.stderr ?? { write: () => true }, 'polling', opts.progress);
  try {
    const sources = await feedsToPoll(core.stores, core.defaultFeeds);
    const result = await runPollCycle(core.cycleDeps, sources, {
      force: true,
      logFeedErrors: false,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    if (result.feeds.length > 0 && result.feeds.every((f) => f.status === 'error')) throw noUsableSource(result.feeds);
    opts.stdout(
      opts.json
        ? JSON.stringify(
            result.feeds.map((f) => ({
              source: f.source,
              status: f.status,
              error: f.error,
              entries: f.entries,
              newItems: f.newItems,
              kept: f.records.filter((r) => r.relevance.relevant).map((r) => ({ id: r.item.id, title: r.item.title, storyId: r.storyId })),
            })),
            null,
            2,
          )
        : renderCycle(result),
    );
    return 0;
  } finally {
    progress.done();
    await core.stores.close();
  }
}
