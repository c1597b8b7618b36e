// Loaded with `node --import` into a process the bench starts: as the process exits, one line on stderr with
// its peak resident set size in KiB, as the kernel counted it (getrusage), for the bench to read.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
});
