// Retention: stories, items and figures older than RETENTION_DAYS go. Seen ids are pruned in the poll
// cycle on the same horizon but kept while an entry is still in its feed, so nothing old is posted again.
import type { Logger } from '../log.js';
import type { Stores } from '../store/ports.js';

export async function pruneOld(stores: Stores, now: Date, retentionDays: number, logger: Logger): Promise<void> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const limit = cutoff.toISOString().slice(0, 10);
  const days = (await stores.stories.days()).filter((d) => d < limit);
  for (const day of days) await stores.stories.deleteDay(day);
  const items = await stores.items.pruneBefore(cutoff);
  await stores.figures.prune(cutoff);
  if (days.length > 0 || items > 0) logger.info('retention: pruned old data', { storyDays: days.length, items, before: limit });
}
