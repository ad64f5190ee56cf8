import { escapeHtml, IdAllocator } from './html.js';
import { REPORT_CSS } from './report-style.js';
import type { ReportFigure, ReportInput, ReportSection, ReportTable } from './report-types.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BOLD_CELL = /^\*\*([\s\S]*)\*\*$/;
/** Cells that read as numbers (optionally with +-, %, units) are right-aligned. */
const NUMERIC_CELL = /^[-+]?(\d[\d,]*\.?\d*|\.\d+)(e[-+]?\d+)?\s*(%|x|s|ms|\/s)?\s*((\+-|±|\+\/-)\s*\d[\d.]*(e[-+]?\d+)?\s*%?)?$/i;

interface TocEntry {
  id: string;
  title: string;
  children: { id: string; title: string }[];
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
function pngSize(png: Buffer, what: string): { width: number; height: number } {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`report: ${what} is not a PNG (${png.length} bytes)`);
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function renderCell(tag: 'td' | 'th', raw: string): string {
  const text = String(raw);
  const bold = BOLD_CELL.exec(text);
  const inner = bold ? (bold[1] as string) : text;
  const numeric = tag === 'td' && NUMERIC_CELL.test(inner.trim());
  const content = bold ? `<strong>${escapeHtml(inner)}</strong>` : escapeHtml(inner);
  const attrs = tag === 'th' ? ' scope="col"' : numeric ? ' class="num"' : '';
  return `<${tag}${attrs}>${content}</${tag}>`;
}

function renderTable(table: ReportTable, id: string): string {
  const columns = Math.max(table.header.length, ...table.rows.map((r) => r.length));
  const pad = (cells: readonly string[]): string[] => [...cells, ...Array<string>(columns - cells.length).fill('')];
  const head = `<thead><tr>${pad(table.header).map((h) => renderCell('th', h)).join('')}</tr></thead>`;
  const body =
    table.rows.length === 0
      ? `<tbody><tr><td class="empty" colspan="${Math.max(1, columns)}">no rows</td></tr></tbody>`
      : `<tbody>${table.rows.map((row) => `<tr>${pad(row).map((c) => renderCell('td', c)).join('')}</tr>`).join('\n')}</tbody>`;
  const parts = [
    `<section class="table" id="${id}" aria-labelledby="h-${id}">`,
    `<h3 id="h-${id}">${escapeHtml(table.title)}</h3>`,
    `<div class="table-wrap"><table class="results">${head}\n${body}</table></div>`,
  ];
  if (table.note !== undefined && table.note !== '') parts.push(`<p class="note">${escapeHtml(table.note)}</p>`);
  if (table.markdown !== undefined && table.markdown !== '') {
    parts.push(`<details class="markdown"><summary>Markdown</summary><pre><code>${escapeHtml(table.markdown)}</code></pre></details>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

function renderFigure(figure: ReportFigure, id: string): string {
  const { width, height } = pngSize(figure.png, `figure '${figure.title}'`);
  const alt = figure.alt ?? (figure.caption ? `${figure.title}: ${figure.caption}` : figure.title);
  const src = `data:image/png;base64,${figure.png.toString('base64')}`;
  return [
    `<figure id="${id}">`,
    `<img src="${src}" width="${width}" height="${height}" alt="${escapeHtml(alt)}">`,
    `<figcaption><strong>${escapeHtml(figure.title)}.</strong> ${escapeHtml(figure.caption)}</figcaption>`,
    '</figure>',
  ].join('\n');
}

function renderSection(section: ReportSection, ids: IdAllocator, toc: TocEntry[]): string {
  const id = ids.next('section', section.title);
  const entry: TocEntry = { id, title: section.title, children: [] };
  toc.push(entry);
  const parts = [`<section id="${id}" aria-labelledby="h-${id}">`, `<h2 id="h-${id}">${escapeHtml(section.title)}</h2>`];
  if (section.intro) parts.push(`<p>${escapeHtml(section.intro)}</p>`);
  for (const table of section.tables ?? []) {
    const tid = ids.next('table', table.title);
    entry.children.push({ id: tid, title: table.title });
    parts.push(renderTable(table, tid));
  }
  for (const figure of section.figures) {
    const fid = ids.next('figure', figure.title);
    entry.children.push({ id: fid, title: figure.title });
    parts.push(renderFigure(figure, fid));
  }
  if (section.figures.length === 0 && (section.tables ?? []).length === 0) parts.push('<p class="empty">Nothing to show.</p>');
  parts.push('</section>');
  return parts.join('\n');
}

function renderToc(toc: readonly TocEntry[]): string {
  const item = (e: { id: string; title: string }): string => `<a href="#${e.id}">${escapeHtml(e.title)}</a>`;
  const items = toc.map((e) => {
    const sub = e.children.length > 0 ? `<ol>${e.children.map((c) => `<li>${item(c)}</li>`).join('')}</ol>` : '';
    return `<li>${item(e)}${sub}</li>`;
  });
  return `<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2><ol>\n${items.join('\n')}\n</ol></nav>`;
}

/**
 * The report as one self-contained HTML page: inline CSS, images as data: URLs, no script
 * and no external reference, so it opens from disk or an e-mail attachment as is.
 */
export function renderReport(report: ReportInput): string {
  // Generated ids start with section-, table- or figure- (headings: h-<id>), so they never
  // collide with the fixed ones below.
  const ids = new IdAllocator();
  const toc: TocEntry[] = [];
  const body: string[] = [];

  toc.push({ id: 'summary', title: 'Run summary', children: [] });
  const summary =
    report.summary.length === 0
      ? '<p class="empty">No summary recorded.</p>'
      : `<dl class="summary">\n${report.summary.map((s) => `<dt>${escapeHtml(s.key)}</dt><dd>${escapeHtml(s.value)}</dd>`).join('\n')}\n</dl>`;
  body.push(`<section id="summary" aria-labelledby="summary-title"><h2 id="summary-title">Run summary</h2>\n${summary}\n</section>`);

  if (report.tables.length > 0) {
    const entry: TocEntry = { id: 'results', title: 'Results', children: [] };
    toc.push(entry);
    const tables = report.tables.map((t) => {
      const id = ids.next('table', t.title);
      entry.children.push({ id, title: t.title });
      return renderTable(t, id);
    });
    body.push(`<section id="results" aria-labelledby="results-title"><h2 id="results-title">Results</h2>\n${tables.join('\n')}\n</section>`);
  }

  for (const section of report.sections) body.push(renderSection(section, ids, toc));

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Belt and braces: even a stray reference in a caption could not make the page fetch anything.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<header><h1>${escapeHtml(report.title)}</h1><p class="generated">Generated ${escapeHtml(report.generatedAt)}</p>`,
    report.intro ? `<p>${escapeHtml(report.intro)}</p>` : '',
    '</header>',
    renderToc(toc),
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
