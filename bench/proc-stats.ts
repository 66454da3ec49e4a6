import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * What the kernel knows about another process: CPU time and memory, read from /proc so the
 * gateway needs no instrumentation and the numbers include everything (GC, libuv, native code).
 * Where there is no /proc (macOS), the readers return undefined and the report shows "n/a".
 */

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat (almost always 100). */
export const CLOCK_TICKS: number = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds the process has used since it started. */
export function cpuSeconds(pid: number): number | undefined {
  return statCpuSeconds(`/proc/${String(pid)}/stat`);
}

/**
 * The same for the process's main thread alone (its thread id is its pid): where JavaScript runs.
 * The rest of `cpuSeconds` is its other threads: V8's helpers (concurrent marking, parallel
 * scavenges, compilation) and libuv's pool.
 */
export function mainThreadCpuSeconds(pid: number): number | undefined {
  return statCpuSeconds(`/proc/${String(pid)}/task/${String(pid)}/stat`);
}

function statCpuSeconds(path: string): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: count from the last ')'.
  // After it come field 3 (state) onwards, so utime (14) and stime (15) are at 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime)
    ? (utime + stime) / CLOCK_TICKS
    : undefined;
}

export interface Memory {
  /** Resident set size now, bytes. */
  readonly rssBytes: number;
  /** VmHWM: the highest RSS since the process started, bytes. */
  readonly peakRssBytes: number;
}

export function memory(pid: number): Memory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  };
  const rssBytes = kib('VmRSS');
  const peakRssBytes = kib('VmHWM');
  return rssBytes === undefined || peakRssBytes === undefined
    ? undefined
    : { rssBytes, peakRssBytes };
}

export interface MachineTicks {
  /** Clock ticks all cores spent on anything but idling, since boot. */
  readonly busy: number;
}

/**
 * The machine's busy time from /proc/stat, to tell how much CPU went to processes other than the
 * three the benchmark runs: another job on a 2-core machine moves every number.
 */
export function machineTicks(): MachineTicks | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const fields = (/^cpu\s+(.*)$/m.exec(stat)?.[1] ?? '').split(/\s+/).map(Number);
  if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq + steal };
}
