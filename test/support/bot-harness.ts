// Starts the real bot (startBot: real discord.js client, real store, real fetcher) against the fake
// Discord and a local feed server, with cycles driven by the test instead of the clock.
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { startBot, type BotHandle, type BotOverrides } from '../../src/main.js';
import type { FakeDiscord, ReplyBody } from './fake-discord.js';

export const BOT_TOKEN = 'fake-token-Zk9q2WvX81mNp3';

export interface HarnessOptions {
  fake: FakeDiscord;
  dataDir: string;
  feeds: string[];
  env?: Record<string, string>;
  overrides?: BotOverrides;
  logLines?: string[];
}

export function harnessConfig(o: HarnessOptions): Config {
  return loadConfig({
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_API_BASE: o.fake.apiBase,
    FEEDS: o.feeds.join(','),
    DATA_DIR: o.dataDir,
    LOG_LEVEL: 'debug',
    ALLOW_PRIVATE_FEEDS: 'true',
    ...o.env,
  });
}

export async function startTestBot(o: HarnessOptions): Promise<BotHandle> {
  const config = harnessConfig(o);
  const lines = o.logLines;
  const logger: Logger = createLogger({
    level: lines ? 'debug' : 'silent',
    secrets: [BOT_TOKEN],
    ...(lines ? { write: (l: string) => void lines.push(l) } : {}),
  });
  return startBot(config, logger, {
    schedule: false,
    staggerMs: 0,
    clientOptions: { rest: { offset: 0 }, waitGuildTimeout: 500 },
    ...o.overrides,
  });
}

/** Admin (Manage Server) and plain member permission bitfields for interactions. */
export const ADMIN = '32';
export const MEMBER = '0';

export interface SubscribeInput {
  guildId: string;
  /** The channel to subscribe. */
  channel: string;
  /** The channel the command is typed in; default: `channel`. */
  from?: string;
  userId: string;
  /** Default: ADMIN. */
  permissions?: string;
  /** Options after `channel`: mode, hour, timezone, admin-channel. */
  extra?: unknown[];
}

/** Sends /subscribe channel:<channel> (plus `extra` options) and resolves with the visible answer. */
export async function subscribe(fake: FakeDiscord, input: SubscribeInput): Promise<ReplyBody> {
  const h = await fake.sendInteraction({
    guildId: input.guildId,
    channelId: input.from ?? input.channel,
    userId: input.userId,
    permissions: input.permissions ?? ADMIN,
    name: 'subscribe',
    options: [{ name: 'channel', type: 7, value: input.channel }, ...(input.extra ?? [])],
  });
  return h.final();
}
