/** Runs the sonospeech CLI with the given arguments and prints its peak RSS (KiB) to stderr on exit. */
import { main } from '../src/cli/main.js';

process.on('exit', () => process.stderr.write(`peak_rss_kib ${process.resourceUsage().maxRSS}\n`));
await main(process.argv.slice(2));
