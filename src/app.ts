// Wiring of the parts every command needs (store, relevance, editorial, fetcher), by hand.
// The Discord side is wired on top of this in main.ts.
import { createRelevanceScorer } from './core/relevance.js';
import type { Config } from './config.js';
import { DEFAULT_USER_AGENT, fetchSource, type FetchOptions } from './feeds/fetch.js';
import { DEFAULT_FEEDS } from './feeds/sources.js';
import { createAddressGuard } from './feeds/ssrf.js';
import type { Logger } from './log.js';
import { Editorial } from './pipeline/editorial.js';
import type { CycleDeps, Fetcher } from './pipeline/poll-cycle.js';
import { openStores } from './store/keyv-store.js';
import type { GuildSettings, Stores } from './store/ports.js';
import { cambodiaScamCompounds } from './topics/cambodia-scam-compounds.js';

export interface Core {
  config: Config;
  stores: Stores;
  editorial: Editorial;
  logger: Logger;
  cycleDeps: CycleDeps;
  defaultFeeds: string[];
}

export function defaultFeeds(config: Config): string[] {
  return config.feeds ?? [...DEFAULT_FEEDS];
}

/** The feeds a server follows: the defaults it kept plus the ones it added. */
export function effectiveFeeds(settings: GuildSettings, defaults: string[]): string[] {
  const removed = new Set(settings.removedFeeds);
  return [...new Set([...defaults.filter((f) => !removed.has(f)), ...settings.addedFeeds])];
}

/** The defaults (always: preview, the CLI and servers that kept them) plus every feed a server added. */
export async function feedsToPoll(stores: Stores, defaults: string[]): Promise<string[]> {
  const guilds = await stores.guilds.list();
  if (guilds.length === 0) return defaults;
  return [...new Set([...defaults, ...guilds.flatMap((g) => effectiveFeeds(g, defaults))])];
}

/** Every fetch (redirects included) goes through the SSRF guard unless ALLOW_PRIVATE_FEEDS is set. */
export function fetchOptionsFor(config: Config): Omit<FetchOptions, 'validators'> {
  const guard = createAddressGuard({ allowPrivate: config.allowPrivateFeeds });
  return { totalTimeoutMs: config.fetchTimeoutMs, maxBytes: config.feedMaxBytes, userAgent: DEFAULT_USER_AGENT, ...(guard ? { checkAddress: guard } : {}) };
}

export async function buildCore(
  config: Config,
  logger: Logger,
  options: {
    memory?: boolean;
    /** False for `analyze`: stories and figures live for the run only. */
    persist?: boolean;
    fetch?: Fetcher;
    now?: () => Date;
  } = {},
): Promise<Core> {
  const stores = await openStores({ storeUrl: config.storeUrl, dataDir: config.dataDir, memory: options.memory ?? false, logger });
  const relevance = createRelevanceScorer(cambodiaScamCompounds, { includeAdjacent: config.includeAdjacent });
  const editorial = await Editorial.load(stores, relevance, config.storyWindowDays, options.persist ?? true);
  const cycleDeps: CycleDeps = {
    stores,
    editorial,
    fetch: options.fetch ?? fetchSource,
    logger,
    fetchOptions: fetchOptionsFor(config),
    concurrency: config.fetchConcurrency,
    retentionDays: config.retentionDays,
    ...(options.now ? { now: options.now } : {}),
  };
  return { config, stores, editorial, logger, cycleDeps, defaultFeeds: defaultFeeds(config) };
}
