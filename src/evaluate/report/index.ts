export { renderReport } from './render-report.js';
export { writeReport } from './write-report.js';
export type { ReportFigure, ReportInput, ReportSection, ReportSummaryItem, ReportTable } from './report-types.js';
