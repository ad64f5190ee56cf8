import cliProgress from 'cli-progress';
import { formatEta } from './format-eta.js';

/**
 * Progress bars with rate and ETA: one per running item plus an overall bar. When stderr
 * is not a terminal the bars are printed as plain lines every few seconds.
 */
export class ProgressBars {
  private readonly multi: cliProgress.MultiBar;
  private readonly overall: cliProgress.SingleBar;
  private readonly items = new Map<string, { bar: cliProgress.SingleBar; value: number; started: number }>();
  private readonly started = Date.now();
  private overallValue = 0;

  constructor(total: number, unit: string) {
    this.multi = new cliProgress.MultiBar(
      {
        format: `{name} |{bar}| {percentage}% {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
        barCompleteChar: '#',
        barIncompleteChar: '.',
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 5000,
        stream: process.stderr,
        etaBuffer: 50,
        formatTime: formatEta,
      },
      cliProgress.Presets.legacy,
    );
    this.overall = this.multi.create(total, 0, { name: 'overall'.padEnd(10), rate: '0' });
  }

  start(name: string, total: number): void {
    this.items.set(name, { bar: this.multi.create(total, 0, { name: name.padEnd(10), rate: '0' }), value: 0, started: Date.now() });
  }

  update(name: string, value: number): void {
    const item = this.items.get(name);
    if (!item) return;
    this.overallValue += value - item.value;
    item.value = value;
    item.bar.update(value, { rate: rate(value, item.started) });
    this.overall.update(this.overallValue, { rate: rate(this.overallValue, this.started) });
  }

  finish(name: string): void {
    const item = this.items.get(name);
    if (item) this.multi.remove(item.bar);
    this.items.delete(name);
  }

  stop(): void {
    this.multi.stop();
  }
}

function rate(value: number, since: number): string {
  return (value / Math.max(1e-3, (Date.now() - since) / 1000)).toFixed(0);
}
