import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describeWarnings, warningsIn } from './process-warnings.js';

export interface MainProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Every log line so far, parsed. */
  readonly lines: Record<string, unknown>[];
  /** The GraphQL URL once the gateway listens; rejects if it exits first. */
  readonly listening: Promise<string>;
  stderr(): string;
}

const children: { readonly child: ChildProcess; readonly stderr: () => string }[] = [];

/**
 * Kills what a test left running, for `afterEach`; fails the test if a gateway printed a
 * process warning: the gateway's warnings are defects as much as the test process's.
 */
export function killMainProcesses(): void {
  const started = children.splice(0);
  for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL');
  const warnings = started.flatMap(({ stderr }) => warningsIn(stderr()));
  if (warnings.length > 0) throw new Error(describeWarnings(warnings));
}

/** Runs src/main.ts the way `npm start` runs its build, with only the given variables. */
export function startMain(env: Record<string, string>): MainProcess {
  const inherited = { ...process.env };
  // The test decides the upstream: without this variable main.ts starts the simulator.
  delete inherited['PARTNER_CENTER_BASE_URL'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...inherited, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  children.push({ child, stderr: () => stderr });
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (
        typeof entry['url'] === 'string' &&
        entry['msg'] === `GraphQL gateway listening on ${entry['url']}`
      ) {
        resolve(entry['url']);
      }
    });
    child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
  });
  // A test that expects an early exit never waits for it.
  listening.catch(() => undefined);
  return { child, lines, listening, stderr: () => stderr };
}
