/** One line of the run summary: config, machine, durations. */
export interface ReportSummaryItem {
  key: string;
  value: string;
}

/**
 * A results table. A cell written `**...**` is shown bold (the best value of a column);
 * every other character is shown as text, never interpreted as HTML.
 */
export interface ReportTable {
  title: string;
  header: string[];
  rows: string[][];
  /** The same table as Markdown, offered in a collapsed block for copying into documents. */
  markdown?: string;
  note?: string;
}

export interface ReportFigure {
  title: string;
  caption: string;
  /** PNG bytes; embedded as a data: URL. */
  png: Buffer;
  /** Alternative text; defaults to the title and caption. */
  alt?: string;
}

/** A group of figures (e.g. "Training curves", "Confusion matrices"), optionally with its own tables. */
export interface ReportSection {
  title: string;
  intro?: string;
  tables?: ReportTable[];
  figures: ReportFigure[];
}

export interface ReportInput {
  title: string;
  /** Shown as given, e.g. an ISO timestamp. */
  generatedAt: string;
  intro?: string;
  summary: ReportSummaryItem[];
  /** The main results tables, shown before the figure sections. */
  tables: ReportTable[];
  sections: ReportSection[];
}
