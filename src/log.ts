// Structured logs: one JSON object per line on stderr (stdout is reserved for command output and previews).
// Secrets registered with `redact` never reach the output, whatever the caller passes in.

export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: Level | 'silent';
  write?: (line: string) => void;
  secrets?: string[];
  base?: Record<string, unknown>;
}

function errorFields(err: unknown): unknown {
  if (err instanceof Error) return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return err;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = order[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
  const scrub = (line: string) => secrets.reduce((acc, s) => acc.split(s).join('[redacted]'), line);
  const make = (base: Record<string, unknown>): Logger => {
    const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
      if (order[level] < threshold) return;
      const record: Record<string, unknown> = { time: new Date().toISOString(), level, msg, ...base };
      for (const [k, v] of Object.entries(fields ?? {})) record[k] = k === 'err' || v instanceof Error ? errorFields(v) : v;
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch {
        line = JSON.stringify({ time: record['time'], level, msg, note: 'fields not serialisable' });
      }
      write(scrub(line));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(options.base ?? {});
}

export const silentLogger: Logger = createLogger({ level: 'silent' });
