// The `compound-watch` command: run | analyze | poll --once | deploy-commands | help.
// Every failure a user can cause ends in one line on stderr and a non-zero exit, never a stack trace.
import { parseArgs } from 'node:util';
import { analyze } from './cli/analyze.js';
import { UsageError } from './cli/errors.js';
import { pollOnce } from './cli/poll.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';

const HELP = `compound-watch — follows news of Cambodia's scam compounds and posts stories to Discord

Usage:
  compound-watch run                       run the bot (preview mode, printing posts, without DISCORD_TOKEN)
  compound-watch analyze SOURCE… [--json]  what the bot would keep, group, summarise and extract
  compound-watch poll --once [--json]      one poll cycle over the configured feeds, with the store
  compound-watch deploy-commands [--guild ID]  register the slash commands (global without --guild)
  compound-watch help                      this text (also: any command with --help)

Configuration comes from the environment; see .env.example. \`--json\` output: docs/json-output.md.`;

/**
 * What a failed write to stdout means, usually that its reader stopped early (`analyze --json … | head`). A
 * one-shot command has nowhere left to send its output and ends quietly with the status it has (any other
 * write error is one line on stderr and status 1); the bot keeps running and drops its preview lines, saying so
 * once through `warn`. Without a listener Node throws the error with a stack trace.
 */
function handleStdoutErrors(warn: ((msg: string) => void) | null): void {
  let warned = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (warn) {
      if (!warned) warn(`cannot write to stdout (${err.code ?? err.message}): preview lines are dropped from now on`);
      warned = true;
      return;
    }
    if (err.code !== 'EPIPE') {
      process.stderr.write(`compound-watch: cannot write to stdout: ${err.message}\n`);
      process.exit(1);
    }
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

const COMMANDS = new Set(['run', 'analyze', 'poll', 'deploy-commands', 'help']);
/** The options each command takes (--help works with every one). */
const OPTIONS: Record<string, readonly string[]> = { run: [], analyze: ['json'], poll: ['once', 'json'], 'deploy-commands': ['guild'], help: [] };
/** A Discord server (guild) id: a snowflake, 17 to 20 digits. */
const SNOWFLAKE_RE = /^\d{17,20}$/u;

function printHelp(): number {
  handleStdoutErrors(null);
  process.stdout.write(HELP + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'run', ...rest] = argv;
  try {
    if (command === '--help' || command === '-h') return printHelp();
    // An unknown command is a usage error whatever the configuration says.
    if (!COMMANDS.has(command)) throw new UsageError(`unknown command "${command}" (try: compound-watch help)`);
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        once: { type: 'boolean', default: false },
        guild: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (command === 'help' || values.help) return printHelp();
    for (const option of ['json', 'once', 'guild'] as const) {
      const given = option === 'guild' ? values.guild !== undefined : values[option];
      if (given && !OPTIONS[command]?.includes(option)) throw new UsageError(`${command} takes no --${option} (try: compound-watch help)`);
    }
    if (command !== 'analyze' && positionals.length > 0) {
      throw new UsageError(`${command} takes no arguments, got "${positionals[0] ?? ''}"${command === 'deploy-commands' ? ' (a server id goes after --guild)' : ''}`);
    }
    if (values.guild !== undefined && !SNOWFLAKE_RE.test(values.guild.trim())) {
      throw new UsageError(`--guild takes a server id (17 to 20 digits), got "${values.guild}"; leave --guild out to register globally`);
    }
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel, secrets: config.discordToken ? [config.discordToken] : [] });
    handleStdoutErrors(command === 'run' ? (msg) => logger.warn(msg) : null);
    // Two writes rather than `s + '\n'`: joining would copy the whole text first (megabytes for analyze --json).
    const stdout = (s: string): void => {
      process.stdout.write(s);
      process.stdout.write('\n');
    };
    switch (command) {
      case 'analyze':
        return await analyze(positionals, { json: values.json, config, logger, stdout, stdoutIsTTY: process.stdout.isTTY === true, stderr: process.stderr });
      case 'poll':
        if (!values.once) throw new UsageError('poll runs one cycle: use `compound-watch poll --once` (the bot itself polls on a schedule)');
        return await pollOnce({ config, logger, stdout, json: values.json, stdoutIsTTY: process.stdout.isTTY === true, stderr: process.stderr });
      case 'run': {
        const { runBot } = await import('./main.js');
        return await runBot({ config, logger });
      }
      case 'deploy-commands': {
        const { deployCommands } = await import('./discord/deploy.js');
        return await deployCommands({ config, logger, guildId: values.guild?.trim() ?? null, stdout });
      }
      default:
        return printHelp();
    }
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`compound-watch: ${err.message}\n`);
      return 2;
    }
    const msg = err instanceof Error ? err.message : String(err);
    if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // Node's first sentence ("Unknown option '--verbose'"); the rest is advice about "--" that confuses more.
      process.stderr.write(`compound-watch: ${msg.split(/\.\s/u)[0] ?? msg} (try: compound-watch help)\n`);
      return 2;
    }
    process.stderr.write(`compound-watch: ${msg.split('\n')[0]}\n`);
    if (process.env['LOG_LEVEL'] === 'debug' && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}
