// What a slash command file in commands/ exports, and what it receives. Commands get their dependencies
// as an argument (no globals), so tests and the composition root decide what they talk to.
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Stores } from '../store/ports.js';

/** An expected failure: its message is shown to the user (ephemeral). */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export interface CommandContext {
  stores: Stores;
  config: Config;
  logger: Logger;
  /** The feed list every server starts from (FEEDS or the built-in list). */
  defaultFeeds: string[];
  now: () => Date;
  /** Throws UserError with a clear reason when a URL may not be added as a feed (scheme, SSRF guard, not a feed). */
  checkFeedUrl: (url: string) => Promise<void>;
  /** Process facts for /status. */
  status: () => Promise<{ startedAt: string; lastCycle: string | null; lastCycleMs: number | null; pendingPosts: number; backend: string; shard: string }>;
}

export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Admin-only commands need Manage Server; registered with default_member_permissions and checked again at run time. */
  adminOnly?: boolean;
  /** Defer before doing slow work (store scans, network), so the reply lands within Discord's 3 s. */
  defer?: boolean;
  /**
   * Cheap checks of what the user typed, run before a deferred command shows its public "thinking…": a
   * UserError thrown here is answered to that user alone. (After a public defer, Discord only lets the reply be
   * edited in place, for everyone to see.)
   */
  check?(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> | void;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
}

export function isCommand(value: unknown): value is Command {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Command>;
  return typeof v.execute === 'function' && typeof v.data === 'object' && v.data !== null && typeof v.data.name === 'string' && typeof v.data.toJSON === 'function';
}
