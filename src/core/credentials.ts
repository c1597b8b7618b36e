// Feed URLs may carry a login (https://user:password@host/feed): whatever is shown to people or stored as an
// error message goes through here first, so a password never reaches a channel.

/** The user name and password before an http(s) URL's host. */
const CREDENTIALS_RE = /\b(https?:\/\/)[^\s/?#@]+@/giu;

/** `text` with the credentials of every http(s) URL in it removed. */
export function withoutCredentials(text: string): string {
  return text.includes('@') ? text.replace(CREDENTIALS_RE, '$1') : text;
}
