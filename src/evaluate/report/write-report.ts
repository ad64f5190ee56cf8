import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { renderReport } from './render-report.js';
import type { ReportInput } from './report-types.js';

let tempCounter = 0;

/**
 * Renders the report and writes it to `path` atomically (a temporary file in the same
 * folder, then a rename), so a reader never sees half a report. Returns the bytes written.
 */
export function writeReport(path: string, report: ReportInput): number {
  const html = Buffer.from(renderReport(report), 'utf8');
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${process.pid}.${tempCounter++}.tmp`);
  try {
    writeFileSync(temp, html);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new Error(`cannot write report '${path}': ${(err as Error).message}`);
  }
  return html.length;
}
