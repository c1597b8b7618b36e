// The Discord adapter: the client (Guilds intent only), the command loader, and the interaction router
// with its one error boundary. Posting goes through the outbox (publisher.ts), not through here.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import {
  Client,
  Events,
  GatewayIntentBits,
  InteractionContextType,
  MessageFlags,
  Options,
  PermissionFlagsBits,
  Routes,
  type ClientOptions,
  type Interaction,
  type REST,
} from 'discord.js';
import type { Logger } from '../log.js';
import { isCommand, UserError, type Command, type CommandContext } from './command.js';
import type { OutgoingMessage, PostSink } from './publisher.js';
import { plainTimeTags } from './render.js';

export const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

/** Loads every command file; a file that is not a command is reported, never skipped silently. */
export async function loadCommands(logger: Logger): Promise<Command[]> {
  const files = (await readdir(COMMANDS_DIR)).filter((f) => /\.(?:ts|js|mjs)$/u.test(f) && !f.endsWith('.d.ts')).sort();
  const commands: Command[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(COMMANDS_DIR, file)).href)) as { default?: unknown };
    if (isCommand(mod.default)) commands.push(mod.default);
    else logger.warn('not a command, ignored', { file, hint: 'export default { data, execute } satisfies Command' });
  }
  return commands;
}

/** The bodies `deploy-commands` registers: admin commands carry default_member_permissions. */
export function commandBodies(commands: Command[]) {
  return commands.map((c) => {
    // Every command reads or changes one server's state: offered in servers only, never in DMs where each
    // would only answer that it works inside a server.
    const body = { ...c.data.toJSON(), contexts: [InteractionContextType.Guild] };
    return c.adminOnly ? { ...body, default_member_permissions: PermissionFlagsBits.ManageGuild.toString() } : body;
  });
}

export function createClient(options: { apiBase: string | null; extra?: Partial<ClientOptions> }): Client {
  const extra = options.extra ?? {};
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    // The bot never reads messages back (posts and edits go through REST by id), so caching the replies it
    // sends would only grow memory with every slash command.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    ...extra,
    rest: {
      // Every interaction token gets its own REST route handler; sweeping idle ones each minute (default: hourly)
      // keeps memory flat under a steady stream of slash commands.
      handlerSweepInterval: 60_000,
      ...(options.apiBase ? { api: options.apiBase } : {}),
      ...(extra.rest ?? {}),
    },
  });
}

/** Answers an error in whatever state the interaction is (replied, deferred, or not yet). */
async function answerError(interaction: Interaction, text: string): Promise<void> {
  if (!interaction.isRepliable()) return;
  const payload = { content: text, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } } as const;
  if (interaction.deferred) await interaction.editReply({ content: text, allowedMentions: { parse: [] } });
  else if (interaction.replied) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

export function routeInteractions(client: Client, commands: Command[], ctx: CommandContext): void {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  client.on(Events.InteractionCreate, async (interaction) => {
    const name = 'commandName' in interaction ? interaction.commandName : null;
    const command = name ? byName.get(name) : undefined;
    const log = ctx.logger.child({ command: name, guildId: interaction.guildId, userId: interaction.user.id });
    if (interaction.isAutocomplete()) {
      try {
        if (command?.autocomplete) await command.autocomplete(interaction, ctx);
        else await interaction.respond([]);
      } catch (err) {
        log.warn('autocomplete failed', { err });
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      }
      return;
    }
    if (!interaction.isChatInputCommand()) return;
    try {
      if (!command) throw new UserError(`Unknown command /${name ?? '?'}; the bot may be updating its commands.`);
      if (command.adminOnly) {
        if (!interaction.inGuild()) throw new UserError('This command works inside a server only.');
        // Discord hides admin commands by default_member_permissions, but server owners can override
        // that: check again here.
        if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
          throw new UserError('You need the Manage Server permission to use this command.');
        }
      }
      if (command.check) await command.check(interaction, ctx);
      if (command.defer) {
        await interaction.deferReply(command.adminOnly ? { flags: MessageFlags.Ephemeral } : {});
      }
      await command.execute(interaction, ctx);
    } catch (err) {
      if (err instanceof UserError) {
        await answerError(interaction, err.message).catch((e: unknown) => log.warn('could not answer', { err: e }));
        return;
      }
      log.error('command failed', { err, options: interaction.options.data.map((o) => o.name) });
      await answerError(interaction, 'Something went wrong on our side; it has been logged. Please try again later.').catch(
        (e: unknown) => log.warn('could not answer', { err: e }),
      );
    }
  });
}

/** Posts through Discord's REST API, never pinging anyone, with a nonce Discord enforces. */
export function discordSink(rest: REST): PostSink {
  return {
    async send(channelId, message: OutgoingMessage, nonce) {
      const res = (await rest.post(Routes.channelMessages(channelId), {
        body: { ...message, allowed_mentions: { parse: [] }, nonce, enforce_nonce: true },
      })) as { id: string };
      return res.id;
    },
    async edit(channelId, messageId, message) {
      await rest.patch(Routes.channelMessage(channelId, messageId), {
        body: { ...message, allowed_mentions: { parse: [] } },
      });
    },
  };
}

/** Preview mode: prints what would be posted. */
export function previewSink(write: (s: string) => void): PostSink {
  let n = 0;
  const render = (m: OutgoingMessage) => {
    const lines: string[] = [];
    if (m.content) lines.push(m.content);
    for (const e of m.embeds ?? []) {
      if (e.title) lines.push(`■ ${e.title}${e.url ? `  <${e.url}>` : ''}`);
      if (e.description) lines.push(e.description);
      for (const f of e.fields ?? []) lines.push(`  ${f.name}: ${f.value.replace(/\n/gu, '\n    ')}`);
    }
    return plainTimeTags(lines.join('\n'));
  };
  return {
    async send(channelId, message) {
      n += 1;
      write(`\n── would post (preview) ──\n${render(message)}\n`);
      return `preview-${n}`;
    },
    async edit(_channelId, messageId, message) {
      write(`\n── would edit ${messageId} (preview) ──\n${render(message)}\n`);
    },
  };
}
