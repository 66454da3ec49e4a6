import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deathOf, track } from './child-processes.js';
import type {
  Closed,
  Deliveries,
  Opened,
  SubscriptionParentMessage,
  SubscriptionPlan,
  SubscriptionWorkerMessage,
} from './subscription-protocol.js';

const WORKER = fileURLToPath(new URL('./subscription-worker.ts', import.meta.url));

export interface OpenSubscriptions {
  readonly opened: Opened;
  /**
   * Tells the worker that the next event of every subscription of `customerIds` is a change,
   * and resolves once it knows; `delivered` then resolves when every one of them has it, or at
   * `timeoutMs`.
   */
  expect(
    customerIds: readonly string[],
    timeoutMs: number,
  ): Promise<{ readonly delivered: Promise<Deliveries> }>;
  /** Closes every socket and stops the worker. */
  close(): Promise<Closed>;
}

/**
 * Opens the plan's subscriptions from a forked worker (bench/subscription-worker.ts) and
 * resolves once every one of them has its first event: the watch is then idle.
 */
export async function openSubscriptions(plan: SubscriptionPlan): Promise<OpenSubscriptions> {
  const worker = track(
    'subscription worker',
    fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }),
  );
  const queued: SubscriptionWorkerMessage[] = [];
  const waiters: ((message: SubscriptionWorkerMessage) => void)[] = [];
  worker.child.on('message', (message: SubscriptionWorkerMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queued.push(message);
  });
  const death = deathOf(worker, 'while holding the subscriptions');
  async function next<T extends SubscriptionWorkerMessage['type']>(
    type: T,
  ): Promise<Extract<SubscriptionWorkerMessage, { type: T }>> {
    const message =
      queued.shift() ??
      (await Promise.race([
        new Promise<SubscriptionWorkerMessage>((resolve) => waiters.push(resolve)),
        death,
      ]));
    if (message.type === 'failed') throw new Error(`subscription worker: ${message.message}`);
    if (message.type !== type)
      throw new Error(`subscription worker sent ${message.type}, not ${type}`);
    return message as Extract<SubscriptionWorkerMessage, { type: T }>;
  }
  const tell = (message: SubscriptionParentMessage): void => {
    worker.child.send(message);
  };
  try {
    tell({ type: 'plan', plan });
    const opened = await next('opened');
    return {
      opened,
      async expect(customerIds, timeoutMs) {
        tell({ type: 'expect', customerIds, timeoutMs });
        await next('expecting');
        const delivered = next('delivered');
        delivered.catch(() => undefined);
        return { delivered };
      },
      async close() {
        try {
          tell({ type: 'close' });
          return await next('closed');
        } finally {
          await worker.stop(2_000);
        }
      },
    };
  } catch (error) {
    await worker.stop(2_000);
    throw error;
  }
}
