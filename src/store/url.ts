// STORE_URL as a user writes it: which SQLite file it names, and how to show it in a message.

/** A store that cannot be opened or reached; the message is one line for the operator. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/**
 * The file a sqlite: STORE_URL names: "sqlite:///abs/file", "sqlite:/abs/file", "sqlite://rel/file" or
 * "sqlite:rel/file" (relative to the working directory). Throws for a URL that names no file.
 */
export function sqliteFile(url: string): string {
  const file = url.replace(/^sqlite:(?:\/\/)?/iu, '');
  if (file === '' || file.endsWith('/')) throw new StoreError(`STORE_URL ${url} names no SQLite file (e.g. sqlite:///var/lib/compound-watch/store.sqlite)`);
  return file;
}

/** A STORE_URL for messages: scheme, host, port and path, never a user name or password. */
export function describeStoreUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}${u.pathname}` : `${u.protocol}${u.pathname}`;
  } catch {
    return url.slice(0, url.indexOf(':') + 1) || 'an unreadable STORE_URL';
  }
}
