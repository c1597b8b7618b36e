// `compound-watch deploy-commands [--guild ID]`: registers exactly the command files in commands/.
// Guild-scoped registration is instant (development); global registration is for release.
import { REST, Routes } from 'discord.js';
import { UsageError } from '../cli/errors.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { commandBodies, loadCommands } from './bot.js';

export async function deployCommands(opts: {
  config: Config;
  logger: Logger;
  guildId: string | null;
  stdout: (s: string) => void;
}): Promise<number> {
  if (!opts.config.discordToken) throw new UsageError('deploy-commands needs DISCORD_TOKEN');
  const rest = new REST({ ...(opts.config.discordApiBase ? { api: opts.config.discordApiBase } : {}) }).setToken(
    opts.config.discordToken,
  );
  const app = (await rest.get(Routes.currentApplication())) as { id: string };
  const bodies = commandBodies(await loadCommands(opts.logger));
  const route = opts.guildId ? Routes.applicationGuildCommands(app.id, opts.guildId) : Routes.applicationCommands(app.id);
  const saved = (await rest.put(route, { body: bodies })) as unknown[];
  opts.stdout(
    `registered ${saved.length} commands ${opts.guildId ? `in server ${opts.guildId}` : 'globally'}: ${bodies.map((b) => `/${b.name}`).join(' ')}`,
  );
  return 0;
}
