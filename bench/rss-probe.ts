/**
 * Runs the sonospeech CLI with the given arguments and prints its peak RSS (KiB, worker
 * threads included) to stderr on exit. The peak is VmHWM of /proc/self/status: getrusage's
 * maxRSS would include the RSS of the parent at fork time (Linux keeps it across exec), so a
 * probe started by a big benchmark process would report the benchmark's size.
 */
import { readFileSync } from 'node:fs';
import { main } from '../src/cli/main.js';

function peakRssKib(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // no /proc: fall back to getrusage
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => process.stderr.write(`peak_rss_kib ${peakRssKib()}\n`));
await main(process.argv.slice(2));
