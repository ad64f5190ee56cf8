import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../../draw/png.js';
import { RgbImage } from '../../draw/image.js';
import { escapeHtml, IdAllocator } from './html.js';
import { renderReport, writeReport, type ReportInput } from './index.js';

const PNG = encodePng(new RgbImage(30, 20, [200, 10, 10]));

function sample(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    title: 'sonospeech evaluation',
    generatedAt: '2025-01-02T03:04:05Z',
    summary: [
      { key: 'config', value: 'configs/small.json' },
      { key: 'machine', value: '2 cores' },
    ],
    tables: [
      {
        title: 'Standard plane detection',
        header: ['init', 'F1'],
        rows: [
          ['Random', '67.0 ± 1.3'],
          ['Ours', '**72.6 ± 1.7**'],
        ],
        markdown: '| init | F1 |\n|---|---|\n| Random | 67.0 |',
        note: 'mean ± std over 3 folds',
      },
    ],
    sections: [
      { title: 'Training curves', figures: [{ title: 'Losses', caption: 'per step', png: PNG }] },
      { title: 'Confusion matrices', figures: [{ title: 'Fold 1', caption: 'row-normalised', png: PNG, alt: 'confusion fold 1' }] },
    ],
    ...overrides,
  };
}

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
});

describe('IdAllocator', () => {
  it('hands out unique ids even for equal or empty titles', () => {
    const ids = new IdAllocator();
    const got = [ids.next('table', 'F1 (%)'), ids.next('table', 'F1 (%)'), ids.next('table', ''), ids.next('table', '2'), ids.next('table', '')];
    expect(got[0]).toBe('table-f1');
    expect(new Set(got).size).toBe(got.length);
  });
});

describe('renderReport', () => {
  it('escapes every string from the input', () => {
    const evil = `<script>alert("x")</script>&'`;
    const html = renderReport(
      sample({
        title: evil,
        generatedAt: evil,
        intro: evil,
        summary: [{ key: evil, value: evil }],
        tables: [{ title: evil, header: [evil], rows: [[evil], [`**${evil}**`]], markdown: evil, note: evil }],
        sections: [{ title: evil, intro: evil, figures: [{ title: evil, caption: evil, png: PNG, alt: evil }] }],
      }),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('alert("x")');
    const escaped = escapeHtml(evil);
    // title, h1, generated, intro, dt, dd, toc x2, h3, th, td, strong, note, markdown, h2, section intro, alt, figcaption
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(17);
  });

  it('renders tables as real tables with the **best** cells bold', () => {
    const html = renderReport(sample());
    expect(html).toContain('<th scope="col">init</th><th scope="col">F1</th>');
    expect(html).toContain('<td>Random</td><td class="num">67.0 ± 1.3</td>');
    expect(html).toContain('<td class="num"><strong>72.6 ± 1.7</strong></td>');
    expect(html).not.toContain('**');
    expect(html).toContain('<p class="note">mean ± std over 3 folds</p>');
    expect(html).toContain('<details class="markdown"><summary>Markdown</summary><pre><code>| init | F1 |');
  });

  it('keeps asterisks that do not wrap the whole cell, and pads ragged rows', () => {
    const html = renderReport(sample({ tables: [{ title: 't', header: ['a', 'b', 'c'], rows: [['**x', 'y**'], ['1*2']] }] }));
    expect(html).toContain('<td>**x</td><td>y**</td><td></td>');
    expect(html).toContain('<td>1*2</td><td></td><td></td>');
  });

  it('embeds images as PNG data URLs with their size and alt text', () => {
    const html = renderReport(sample());
    const imgs = html.match(/<img [^>]*>/g) ?? [];
    expect(imgs).toHaveLength(2);
    for (const tag of imgs) {
      expect(tag).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
      expect(tag).toContain('width="30" height="20"');
    }
    expect(imgs[0]).toContain('alt="Losses: per step"');
    expect(imgs[1]).toContain('alt="confusion fold 1"');
    const bad = sample({ sections: [{ title: 's', figures: [{ title: 'broken', caption: '', png: Buffer.from('not a png') }] }] });
    expect(() => renderReport(bad)).toThrow(/figure 'broken' is not a PNG/);
  });

  it('references nothing outside the file', () => {
    const html = renderReport(sample());
    expect(html).not.toMatch(/:\/\//);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed)\b/i);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref.startsWith('data:image/png;base64,') || ref.startsWith('#')).toBe(true);
  });

  it('has a table of contents whose links all resolve to unique ids', () => {
    const html = renderReport(sample({ sections: [...sample().sections, { title: 'Training curves', figures: [] }] }));
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const links = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(
      expect.arrayContaining(['summary', 'results', 'table-standard-plane-detection', 'section-training-curves', 'section-training-curves-2', 'figure-losses']),
    );
    for (const link of links) expect(ids).toContain(link);
  });
});

describe('writeReport', () => {
  it('writes the rendered page atomically, replacing an old one and leaving no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    try {
      const path = join(dir, 'nested', 'report.html');
      const bytes = writeReport(path, sample());
      expect(readFileSync(path, 'utf8')).toBe(renderReport(sample()));
      expect(bytes).toBe(readFileSync(path).length);
      writeFileSync(path, 'old');
      writeReport(path, sample({ title: 'second' }));
      expect(readFileSync(path, 'utf8')).toContain('<title>second</title>');
      expect(readdirSync(join(dir, 'nested'))).toEqual(['report.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
