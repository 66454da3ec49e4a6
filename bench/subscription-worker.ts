import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  customerOf,
  replicaOf,
  type Delivery,
  type SubscriptionParentMessage,
  type SubscriptionPlan,
  type SubscriptionWorkerMessage,
} from './subscription-protocol.js';
import { BENCH_AUTHORIZATION } from './workloads.js';
import { runWorker, sendToParent } from './worker-ipc.js';

/**
 * S1's clients, in their own process: `connections` graphql-ws sockets with `perConnection`
 * subscriptions each, every one watching one customer. It reports when every subscription has
 * its first event, then, told which customers changed, when every subscription of them has the
 * change, with each event's `qualificationsReadAt` beside the moment it arrived.
 */

const SUBSCRIPTION = `subscription ($ids: [ID!]!) {
  customerQualificationsChanged(ids: $ids) { id qualificationsReadAt qualifications { qualification vettingStatus } }
}`;

interface Sub {
  readonly customerId: string;
  started: boolean;
  /** Set while a change of its customer is expected, cleared when it came. */
  expecting: boolean;
}

const send = (message: SubscriptionWorkerMessage): Promise<void> => sendToParent(message);

const subs: Sub[] = [];
const byCustomer = new Map<string, Sub[]>();
const clients: Client[] = [];
const errors: string[] = [];
let unexpectedEvents = 0;
let errorEvents = 0;
let droppedConnections = 0;
let closing = false;
let deliveries: Delivery[] = [];
let outstanding = 0;
let onDelivered: (() => void) | undefined;
let withoutFirst = 0;

function note(error: string): void {
  // A few are enough to say what went wrong; thousands of the same would only fill the pipe.
  if (errors.length < 20) errors.push(error);
}

function event(sub: Sub, data: unknown): void {
  const receivedAt = Date.now();
  const customer = (data as { customerQualificationsChanged?: { qualificationsReadAt?: unknown } })
    .customerQualificationsChanged;
  if (!sub.started) {
    sub.started = true;
    withoutFirst -= 1;
    return;
  }
  if (!sub.expecting) {
    unexpectedEvents += 1;
    return;
  }
  const readAt = Date.parse(String(customer?.qualificationsReadAt));
  if (!Number.isFinite(readAt)) {
    unexpectedEvents += 1;
    return;
  }
  sub.expecting = false;
  deliveries.push({ customerId: sub.customerId, readAt, receivedAt });
  outstanding -= 1;
  if (outstanding === 0) onDelivered?.();
}

function subscribe(client: Client, sub: Sub): Promise<void> {
  return new Promise((resolve) => {
    let first = true;
    client.subscribe(
      { query: SUBSCRIPTION, variables: { ids: [sub.customerId] } },
      {
        next: (result) => {
          // An event carrying errors (OVERLOADED from a loaded gateway) is not the change: the
          // subscriber still waits for its customer's new state.
          if (result.errors !== undefined) {
            errorEvents += 1;
            note(JSON.stringify(result.errors[0]?.extensions?.['code'] ?? result.errors[0]));
            if (sub.started) return;
          }
          event(sub, result.data);
          if (first) {
            first = false;
            resolve();
          }
        },
        error: (error) => {
          if (!closing) note(error instanceof Error ? error.message : JSON.stringify(error));
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
}

async function open(plan: SubscriptionPlan): Promise<void> {
  const started = Date.now();
  for (let c = 0; c < plan.connections; c += 1) {
    for (let slot = 0; slot < plan.perConnection; slot += 1) {
      const sub: Sub = { customerId: customerOf(c, slot, plan), started: false, expecting: false };
      subs.push(sub);
      const list = byCustomer.get(sub.customerId) ?? [];
      list.push(sub);
      byCustomer.set(sub.customerId, list);
    }
  }
  withoutFirst = subs.length;
  for (let batch = 0; batch < plan.connections; batch += plan.connectBatch) {
    const opening: Promise<void>[] = [];
    for (let c = batch; c < Math.min(plan.connections, batch + plan.connectBatch); c += 1) {
      const origin = plan.origins[replicaOf(c, plan)] ?? '';
      const client = createClient({
        url: `${origin.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: BENCH_AUTHORIZATION },
        retryAttempts: 0,
        // Held open for the whole run, whatever its subscriptions do.
        lazy: false,
        on: {
          closed: () => {
            if (!closing) droppedConnections += 1;
          },
          error: (error) => {
            if (!closing) note(error instanceof Error ? error.message : String(error));
          },
        },
      });
      clients.push(client);
      const mine = subs.slice(c * plan.perConnection, (c + 1) * plan.perConnection);
      opening.push(Promise.all(mine.map((sub) => subscribe(client, sub))).then(() => undefined));
    }
    await Promise.all(opening);
  }
  // Every subscription has had its first event, or ended without one.
  if (withoutFirst > 0) {
    throw new Error(`${withoutFirst} subscriptions got no first event: ${errors.join('; ')}`);
  }
  await send({
    type: 'opened',
    subscriptions: subs.length,
    connections: clients.length,
    openMs: Date.now() - started,
  });
}

async function expect(customerIds: readonly string[], timeoutMs: number): Promise<void> {
  deliveries = [];
  outstanding = 0;
  for (const id of customerIds) {
    for (const sub of byCustomer.get(id) ?? []) {
      sub.expecting = true;
      outstanding += 1;
    }
  }
  const expected = outstanding;
  await send({ type: 'expecting' });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    onDelivered = () => {
      clearTimeout(timer);
      resolve();
    };
    if (outstanding === 0) onDelivered();
  });
  onDelivered = undefined;
  for (const sub of subs) sub.expecting = false;
  await send({ type: 'delivered', expected, deliveries, missing: outstanding });
}

async function main(): Promise<void> {
  for (;;) {
    const message = await new Promise<SubscriptionParentMessage>((resolve) =>
      process.once('message', (m) => resolve(m as SubscriptionParentMessage)),
    );
    if (message.type === 'plan') await open(message.plan);
    else if (message.type === 'expect') await expect(message.customerIds, message.timeoutMs);
    else {
      closing = true;
      // graphql-ws's dispose closes the socket and returns nothing to wait for.
      for (const client of clients) void client.dispose();
      const cpu = process.cpuUsage();
      await send({
        type: 'closed',
        unexpectedEvents,
        errorEvents,
        errors,
        droppedConnections,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      });
      return;
    }
  }
}

runWorker(main);
