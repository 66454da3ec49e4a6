import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';

/** What a result depends on besides the code: printed above the table and kept in the JSON. */
export interface Machine {
  readonly date: string;
  readonly node: string;
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  /** `git rev-parse --short HEAD`, or undefined outside a git checkout. */
  readonly commit: string | undefined;
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    commit: gitCommit(),
  };
}

function gitCommit(): string | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return commit === '' ? undefined : commit;
  } catch {
    return undefined;
  }
}
