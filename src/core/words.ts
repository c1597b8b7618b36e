// Counts in text for people (CLI output, Discord messages): "1 item", "2 items", "1,003 stories". Pure.

/** `n` and the noun in the number that `n` takes; `plural` for nouns that do not just add an s. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
