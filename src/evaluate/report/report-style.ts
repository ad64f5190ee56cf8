/** The report's whole stylesheet, inlined in <style>: no fonts or files are fetched. */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #1c1c22; background: #fafafc; }
main { max-width: 1240px; margin: 0 auto; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #dcdce4; }
h3 { font-size: 1.05em; margin: 20px 0 8px; }
.generated { color: #666672; margin: 0 0 16px; }
nav.toc { background: #fff; border: 1px solid #dcdce4; border-radius: 6px; padding: 8px 20px; display: inline-block; min-width: 320px; }
nav.toc h2 { border: 0; margin: 8px 0 4px; font-size: 1.05em; }
nav.toc ol { margin: 4px 0; padding-left: 22px; }
nav.toc a { color: #1f5fa8; text-decoration: none; }
nav.toc a:hover, nav.toc a:focus { text-decoration: underline; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; background: #fff; border: 1px solid #dcdce4;
  border-radius: 6px; padding: 12px 16px; margin: 0; }
dl.summary dt { font-weight: 600; color: #3a3a46; }
dl.summary dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.92em; white-space: pre-wrap; word-break: break-word; }
.table-wrap { overflow-x: auto; }
table.results { border-collapse: collapse; background: #fff; margin: 4px 0 6px; font-size: 0.93em; }
table.results caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
table.results th, table.results td { border: 1px solid #d6d6de; padding: 4px 10px; vertical-align: top; }
table.results th { background: #eef0f6; text-align: left; }
table.results tbody tr:nth-child(even) { background: #f7f7fa; }
table.results td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.results strong { color: #0b4f9c; }
p.note { color: #55555f; font-size: 0.9em; margin: 2px 0 14px; }
details.markdown { margin: 0 0 16px; }
details.markdown summary { cursor: pointer; color: #55555f; font-size: 0.9em; }
details.markdown pre { background: #f0f0f4; padding: 8px 10px; overflow-x: auto; font-size: 0.85em; }
figure { margin: 12px 0 24px; background: #fff; border: 1px solid #dcdce4; border-radius: 6px; padding: 10px; display: inline-block; max-width: 100%; }
figure img { display: block; max-width: 100%; height: auto; image-rendering: pixelated; }
figcaption { margin-top: 6px; font-size: 0.92em; color: #3a3a46; max-width: 100ch; }
figcaption strong { color: #1c1c22; }
.empty { color: #777782; font-style: italic; }
@media print { body { background: #fff; padding: 0; } nav.toc { display: none; } figure { break-inside: avoid; } }
`;
