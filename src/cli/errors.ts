/** An error the user can act on: printed as one line on stderr, no stack trace, non-zero exit. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
