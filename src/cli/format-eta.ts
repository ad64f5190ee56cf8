/**
 * Remaining time for progress bars: "1h05m", "4m07s", "12s". Replaces cli-progress's own
 * formatter, which rounds the minutes of "h m" separately from the hours and prints "4h60m".
 * Rounded to 5 s (1 min above an hour) so the figure does not flicker.
 */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const pad = (v: number): string => String(v).padStart(2, '0');
  if (seconds >= 3600 - 30) {
    const minutes = Math.round(seconds / 60);
    return `${Math.floor(minutes / 60)}h${pad(minutes % 60)}m`;
  }
  if (seconds > 60) {
    const rounded = 5 * Math.round(seconds / 5);
    return `${Math.floor(rounded / 60)}m${pad(rounded % 60)}s`;
  }
  return `${Math.round(seconds)}s`;
}
