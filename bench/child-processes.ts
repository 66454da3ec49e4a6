import type { ChildProcess } from 'node:child_process';

/**
 * Every process the benchmark starts is registered here, so one call stops them all: at the end,
 * after a failure, and on Ctrl-C or SIGTERM (see `stopAllOnExit`).
 */

export interface Tracked {
  readonly name: string;
  readonly child: ChildProcess;
  /** The process's own pid: children are started as `node …` directly, never through a shell, so
   *  /proc/<pid> is the gateway itself and not a wrapper. */
  readonly pid: number;
  /** Settles when the process has exited, with its exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  /** The last lines it wrote, for the error message when it dies or fails to start. */
  output(): string;
  /** SIGTERM (the gateway drains and writes a --cpu-prof profile), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Tracked>();
/** How Node prints one: `(node:1234) [DEP0040] DeprecationWarning: …`. */
const PROCESS_WARNING = /^\(node:\d+\) (?:\[[A-Z]+\d+\] )?\w*Warning: /;
const KEEP_LINES = 40;

export function track(name: string, child: ChildProcess): Tracked {
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const pid = child.pid;
  const lines: string[] = [];
  // Reading both pipes matters beyond diagnostics: a child whose pipe buffer fills up blocks.
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      // A process warning (a leak, a deprecation) is a defect worth seeing, not only on a crash.
      if (PROCESS_WARNING.test(line)) process.stderr.write(`${name}: ${line}\n`);
      lines.push(line);
      if (lines.length > KEEP_LINES) lines.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code: number | null) => resolve(code));
  });

  const tracked: Tracked = {
    name,
    child,
    pid,
    exited,
    output: () => lines.join('\n'),
    async stop(graceMs = 10_000) {
      running.delete(tracked);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(tracked);
  void exited.then(() => running.delete(tracked));
  return tracked;
}

export async function stopAll(graceMs?: number): Promise<void> {
  await Promise.all([...running].map((tracked) => tracked.stop(graceMs)));
}

/** Last resort inside a synchronous 'exit' handler: nothing can be awaited there. */
function killAllNow(): void {
  for (const tracked of running) tracked.child.kill('SIGKILL');
  running.clear();
}

/**
 * Stops every tracked process when the benchmark is interrupted, and kills any left over when it
 * exits for whatever reason (an uncaught error included). A second Ctrl-C kills at once.
 */
export function stopAllOnExit(): void {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interrupted) {
        killAllNow();
        process.exit(130);
      }
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping the simulator, gateway and load worker…\n`);
      void stopAll(3_000).finally(() => process.exit(130));
    });
  }
  process.on('exit', killAllNow);
}

/**
 * Rejects, with the process's last output, when it exits: race it against a wait so a crash ends
 * the wait at once. It is marked handled, so a normal exit later is not an unhandled rejection.
 */
export function deathOf(tracked: Tracked, what: string): Promise<never> {
  const death = tracked.exited.then((code) => {
    throw new Error(`${tracked.name} exited (code ${code}) ${what}:\n${tracked.output()}`);
  });
  death.catch(() => undefined);
  return death;
}
