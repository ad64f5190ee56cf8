import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { encodePng } from '../../draw/png.js';
import { drawAffinityTimeline } from '../../plots/affinity-timeline.js';
import { drawConfusionMatrix, drawSaliencyPair } from '../../plots/heatmap.js';
import { drawCurvesPanel } from '../../plots/line-chart.js';
import { writeReport, type ReportInput } from './index.js';

const CHROMIUM = '/usr/bin/chromium';
const MISSING = `Chromium is needed for the report browser test but ${CHROMIUM} was not found or does not start: install it with \`apt-get install chromium\``;

// Structural views of the DOM objects read in the page (the project compiles without the DOM lib).
interface ImageLike {
  complete: boolean;
  naturalWidth: number;
  naturalHeight: number;
  alt: string;
}
interface CellLike {
  textContent: string | null;
  tagName: string;
  querySelector(selector: string): unknown;
}
interface TableLike {
  rows: ArrayLike<{ cells: ArrayLike<CellLike> }>;
}

function buildReport(): ReportInput {
  const steps = Array.from({ length: 50 }, (_, i) => i * 10);
  const curves = drawCurvesPanel(
    [
      {
        series: [
          { name: 'L_cls', points: steps.map((s) => [s, 2 * Math.exp(-s / 150) + 0.2] as [number, number]) },
          { name: 'L_cont', points: steps.map((s) => [s, s === 200 ? NaN : 1.5 * Math.exp(-s / 250) + 0.3] as [number, number]) },
        ],
        options: { title: 'Losses', xLabel: 'step', yLabel: 'loss', width: 420, height: 260 },
      },
      {
        series: [{ name: 'lr', points: steps.map((s) => [s, 1e-3 * 0.1 ** Math.floor(s / 200)] as [number, number]) }],
        options: { title: 'Learning rate', xLabel: 'step', yLabel: 'lr', logY: true, width: 420, height: 260 },
      },
    ],
    2,
  );
  const labels = ['3VT', '4CH', 'abdomen', 'background'];
  const confusion = drawConfusionMatrix(
    labels.map((_, r) => labels.map((_, c) => (r === c ? 40 + 10 * r : (r + c) % 3))),
    labels,
    { title: 'Fold 1' },
  );
  const frame = { width: 96, height: 72, data: new Uint8Array(96 * 72).fill(90) };
  const map = (cx: number) => {
    const data = new Float32Array(12 * 9);
    for (let y = 0; y < 9; y++) for (let x = 0; x < 12; x++) data[y * 12 + x] = Math.exp(-((x - cx) ** 2 + (y - 4) ** 2) / 4);
    return { width: 12, height: 9, data };
  };
  const saliency = drawSaliencyPair(frame, map(4), map(6), [[50, 36]]);
  const timeline = drawAffinityTimeline(
    {
      scanId: 'scan-0001',
      duration: 90,
      speech: [{ start: 5, end: 20 }],
      vad: [{ start: 6, end: 21 }],
      clips: [
        { start: 0, end: 10, speechFraction: 0.4, affinity: 'high' },
        { start: 40, end: 50, speechFraction: 0, affinity: 'low' },
      ],
    },
    { width: 800 },
  );
  return {
    title: 'sonospeech evaluation <test>',
    generatedAt: '2025-01-02T03:04:05Z',
    summary: [
      { key: 'config', value: 'small' },
      { key: 'machine', value: 'linux x64, 2 cores' },
      { key: 'training', value: '12 min' },
    ],
    tables: [
      {
        title: 'Standard plane detection (%)',
        header: ['init', 'Precision', 'Recall', 'F1'],
        rows: [
          ['Random', '70.4 ± 2.3', '64.9 ± 1.6', '67.0 ± 1.3'],
          ['Video only', '71.9 ± 2.0', '71.7 ± 3.5', '71.5 ± 2.4'],
          ['Ours', '**72.7 ± 1.8**', '**73.3 ± 2.4**', '**72.6 ± 1.7**'],
        ],
        note: 'mean ± std over folds',
      },
      {
        title: 'Saliency',
        header: ['init', 'KL', 'NSS'],
        rows: [
          ['Random', '3.94', ''],
          ['Ours', '**3.05**', '**2.68**'],
        ],
        markdown: '| init | KL | NSS |',
      },
    ],
    sections: [
      { title: 'Training curves', figures: [{ title: 'Pre-training', caption: 'loss terms and learning rate', png: encodePng(curves) }] },
      { title: 'Confusion matrices', figures: [{ title: 'Fold 1', caption: 'row-normalised', png: encodePng(confusion) }] },
      { title: 'Saliency: predicted vs true', figures: [{ title: 'Frame 12', caption: 'heat over the frame', png: encodePng(saliency) }] },
      { title: 'Affinity timelines', figures: [{ title: 'scan-0001', caption: 'VAD and clip affinity', png: encodePng(timeline) }] },
    ],
  };
}

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(MISSING);
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      timeout: 15_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (err) {
    throw new Error(`${MISSING}\n${(err as Error).message}`);
  }
}

describe('the report in a real browser', () => {
  it('shows every image and table when opened from disk, fetching nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
    const browser = await launch();
    try {
      const path = join(dir, 'report.html');
      writeReport(path, buildReport());
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const outside: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => {
        const url = r.url();
        if (!url.startsWith('file:') && !url.startsWith('data:')) outside.push(url);
      });
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load', timeout: 10_000 });

      expect(await page.title()).toBe('sonospeech evaluation <test>');
      const images = await page.$$eval('img', (imgs: ImageLike[]) =>
        imgs.map((i) => ({ complete: i.complete, width: i.naturalWidth, height: i.naturalHeight, alt: i.alt })),
      );
      expect(images).toHaveLength(4);
      for (const img of images) {
        expect(img.complete).toBe(true);
        expect(img.width).toBeGreaterThan(0);
        expect(img.height).toBeGreaterThan(0);
        expect(img.alt.length).toBeGreaterThan(0);
      }

      const tables = await page.$$eval('table.results', (ts: TableLike[]) =>
        ts.map((t) =>
          Array.from(t.rows).map((r) =>
            Array.from(r.cells).map((c) => ({ tag: c.tagName, text: (c.textContent ?? '').trim(), bold: c.querySelector('strong') !== null })),
          ),
        ),
      );
      expect(tables).toHaveLength(2);
      const [planes, saliency] = tables;
      expect(planes?.map((row) => row.map((c) => c.text))).toEqual([
        ['init', 'Precision', 'Recall', 'F1'],
        ['Random', '70.4 ± 2.3', '64.9 ± 1.6', '67.0 ± 1.3'],
        ['Video only', '71.9 ± 2.0', '71.7 ± 3.5', '71.5 ± 2.4'],
        ['Ours', '72.7 ± 1.8', '73.3 ± 2.4', '72.6 ± 1.7'],
      ]);
      expect(planes?.[0]?.every((c) => c.tag === 'TH')).toBe(true);
      expect(planes?.[3]?.map((c) => c.bold)).toEqual([false, true, true, true]);
      expect(planes?.[1]?.some((c) => c.bold)).toBe(false);
      expect(saliency?.map((row) => row.length)).toEqual([3, 3, 3]);
      expect(saliency?.[2]?.map((c) => c.text)).toEqual(['Ours', '3.05', '2.68']);

      const tocTargets = await page.$$eval('nav.toc a', (links: { getAttribute(name: string): string | null }[]) =>
        links.map((a) => a.getAttribute('href')),
      );
      expect(tocTargets.length).toBeGreaterThanOrEqual(10);
      for (const target of tocTargets) expect(await page.locator(target ?? '#missing').count()).toBe(1);

      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(1280);
      expect(png.readUInt32BE(20)).toBeGreaterThan(1500);
      expect(png.length).toBeGreaterThan(50_000);

      expect(outside).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
