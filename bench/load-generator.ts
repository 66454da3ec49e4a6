import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deathOf, track } from './child-processes.js';
import type { LoadPlan, LoadResult, ParentMessage, WorkerMessage } from './load-protocol.js';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/**
 * Runs one load in a forked worker (autocannon in its own process). `beforeMeasure` runs between
 * the warm-up and the measured phase, while no load is applied: the moment for "before" readings.
 */
export async function runLoad(
  plan: LoadPlan,
  beforeMeasure: () => Promise<void>,
): Promise<LoadResult> {
  const worker = track(
    'load worker',
    fork(WORKER, [], {
      // tsx's loader, so the worker is TypeScript like the rest of the benchmark.
      execArgv: ['--import', 'tsx'],
      // Pipes rather than inherited output: a worker's stray output must not interleave with the
      // table; child-processes.ts keeps it for the error message.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  const messages: WorkerMessage[] = [];
  const waiters: ((message: WorkerMessage) => void)[] = [];
  worker.child.on('message', (message: WorkerMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const death = deathOf(worker, 'before sending its result');
  const next = async (): Promise<WorkerMessage> => {
    const queued = messages.shift();
    const message =
      queued ??
      (await Promise.race([new Promise<WorkerMessage>((resolve) => waiters.push(resolve)), death]));
    if (message.type === 'failed') throw new Error(`load worker: ${message.message}`);
    return message;
  };
  const tell = (message: ParentMessage): void => {
    worker.child.send(message);
  };

  try {
    tell({ type: 'plan', plan });
    const warmedUp = await next();
    if (warmedUp.type !== 'warmedUp') throw new Error(`load worker sent ${warmedUp.type} early`);
    await beforeMeasure();
    tell({ type: 'measure' });
    const done = await next();
    if (done.type !== 'result') throw new Error(`load worker sent ${done.type}, not a result`);
    return done.result;
  } finally {
    await worker.stop(2_000);
  }
}
