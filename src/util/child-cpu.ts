import { readFileSync } from 'node:fs';

/**
 * CPU seconds of this process's reaped children (cutime + cstime in /proc/self/stat, Linux);
 * NaN elsewhere. The difference around one child's run is that child's CPU time.
 */
export function childCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}
