// The one place that reads the environment. Every problem is reported at once, in one readable message.
import { z } from 'zod';
import { validate as validateCron } from 'node-cron';
import { sqliteFile } from './store/url.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', ''].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/u, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

function sqliteFileOrNull(url: string): string | null {
  try {
    return sqliteFile(url);
  } catch {
    return null;
  }
}

const url = (schemes: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return schemes.includes(new URL(v).protocol.replace(/:$/u, ''));
      } catch {
        return false;
      }
    }, `must be a URL (${schemes.join(', ')})`);

const schema = z.object({
  DISCORD_TOKEN: z.string().trim().optional(),
  DISCORD_API_BASE: url(['http', 'https']).optional(),
  FEEDS: z.string().optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  STORE_URL: url(['sqlite', 'redis', 'rediss', 'postgres', 'postgresql'])
    .refine((v) => !/^sqlite:/iu.test(v) || sqliteFileOrNull(v) !== null, 'names no SQLite file (e.g. sqlite:///var/lib/compound-watch/store.sqlite)')
    .optional(),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent'], { message: 'must be one of debug, info, warn, error, silent' }))
    .default('info'),
  POLL_CRON: z
    .string()
    .trim()
    .default('*/5 * * * *')
    .refine((v) => validateCron(v), 'must be a node-cron expression, e.g. "*/5 * * * *"'),
  STORY_WINDOW_DAYS: int(1, 90).default(7),
  INCLUDE_ADJACENT: bool.default(false),
  RETENTION_DAYS: int(7, 3650).default(365),
  FEED_FAILURE_NOTICE_AFTER: int(1, 1000).default(5),
  MAX_POSTS_PER_HOUR: int(1, 1000).default(20),
  FETCH_TIMEOUT_MS: int(1000, 300_000).default(30_000),
  FEED_MAX_BYTES: int(64 * 1024, 256 * 1024 * 1024).default(5 * 1024 * 1024),
  FETCH_CONCURRENCY: int(1, 256).default(16),
  SHARD_COUNT: int(1, 1024).optional(),
  SHARD_SPAWN_DELAY_MS: int(0, 60_000).default(5500),
  ALLOW_PRIVATE_FEEDS: bool.default(false),
});

/** Every environment key the bot reads (each one is documented in .env.example). */
export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);

export interface Config {
  discordToken: string | null;
  discordApiBase: string | null;
  /** null when FEEDS is unset: the default feed list applies. */
  feeds: string[] | null;
  dataDir: string;
  storeUrl: string | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  pollCron: string;
  storyWindowDays: number;
  includeAdjacent: boolean;
  retentionDays: number;
  feedFailureNoticeAfter: number;
  maxPostsPerHour: number;
  fetchTimeoutMs: number;
  /** Largest feed body accepted, after decompression (default 5 MiB). */
  feedMaxBytes: number;
  fetchConcurrency: number;
  shardCount: number | null;
  shardSpawnDelayMs: number;
  allowPrivateFeeds: boolean;
}

/** Parses the environment; throws ConfigError naming every bad key. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') present[key] = value;
  }
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const c = parsed.data;
  const feeds = c.FEEDS?.split(',').map((s) => s.trim()).filter((s) => s !== '') ?? null;
  return {
    discordToken: c.DISCORD_TOKEN && c.DISCORD_TOKEN !== '' ? c.DISCORD_TOKEN : null,
    discordApiBase: c.DISCORD_API_BASE ?? null,
    feeds: feeds && feeds.length > 0 ? feeds : null,
    dataDir: c.DATA_DIR,
    storeUrl: c.STORE_URL ?? null,
    logLevel: c.LOG_LEVEL,
    pollCron: c.POLL_CRON,
    storyWindowDays: c.STORY_WINDOW_DAYS,
    includeAdjacent: c.INCLUDE_ADJACENT,
    retentionDays: c.RETENTION_DAYS,
    feedFailureNoticeAfter: c.FEED_FAILURE_NOTICE_AFTER,
    maxPostsPerHour: c.MAX_POSTS_PER_HOUR,
    fetchTimeoutMs: c.FETCH_TIMEOUT_MS,
    feedMaxBytes: c.FEED_MAX_BYTES,
    fetchConcurrency: c.FETCH_CONCURRENCY,
    shardCount: c.SHARD_COUNT ?? null,
    shardSpawnDelayMs: c.SHARD_SPAWN_DELAY_MS,
    allowPrivateFeeds: c.ALLOW_PRIVATE_FEEDS,
  };
}
