/**
 * Messages between S1 (bench/s1.ts) and its subscription worker (bench/subscription-worker.ts):
 * the worker holds every WebSocket, so the clients' CPU is not counted as the gateways'.
 */

export interface SubscriptionPlan {
  /** Gateway origins (`http://…`); connection `c` goes to origin `replicaOf(c)`. */
  readonly origins: readonly string[];
  readonly connections: number;
  readonly perConnection: number;
  /** The watched customers; subscription `s` of the whole set watches `customerIds[s % length]`. */
  readonly customerIds: readonly string[];
  /** Connections opened at once while connecting (each waits for its first events). */
  readonly connectBatch: number;
}

/** One subscription's event for a change it was told to expect. */
export interface Delivery {
  readonly customerId: string;
  /** The event's `qualificationsReadAt` (epoch ms): when the poll's read answered. */
  readonly readAt: number;
  /** When the worker had the event (epoch ms, the same machine's clock). */
  readonly receivedAt: number;
}

export interface Deliveries {
  readonly expected: number;
  readonly deliveries: readonly Delivery[];
  /** Subscriptions of the changed customers still without their event at the deadline. */
  readonly missing: number;
}

export interface Opened {
  readonly subscriptions: number;
  readonly connections: number;
  /** From the first connect to the last subscription's first event, ms. */
  readonly openMs: number;
}

export interface Closed {
  /** Events outside an expectation after the first ones: a quiet watch has none. */
  readonly unexpectedEvents: number;
  /** Events that carried GraphQL errors instead of the customer. */
  readonly errorEvents: number;
  readonly errors: readonly string[];
  /** Sockets the gateway closed while the worker held them. */
  readonly droppedConnections: number;
  /** The worker's own CPU seconds (user + system) since it started. */
  readonly cpuSeconds: number;
}

export type SubscriptionParentMessage =
  | { readonly type: 'plan'; readonly plan: SubscriptionPlan }
  /** The next event of every subscription watching `customerIds` is the change. */
  | { readonly type: 'expect'; readonly customerIds: readonly string[]; readonly timeoutMs: number }
  | { readonly type: 'close' };

export type SubscriptionWorkerMessage =
  | ({ readonly type: 'opened' } & Opened)
  /** The expectation is in place: the change may be made now. */
  | { readonly type: 'expecting' }
  | ({ readonly type: 'delivered' } & Deliveries)
  | ({ readonly type: 'closed' } & Closed)
  | { readonly type: 'failed'; readonly message: string };

/** Which gateway connection `c` uses: blocks of connections alternate, so every customer's
 *  subscribers are spread over the replicas (see `customerOf`) and a change crosses Redis. */
export function replicaOf(connection: number, plan: SubscriptionPlan): number {
  const block = Math.max(1, Math.floor(plan.customerIds.length / plan.perConnection));
  return Math.floor(connection / block) % plan.origins.length;
}

/** The customer subscription `slot` of connection `c` watches. */
export function customerOf(connection: number, slot: number, plan: SubscriptionPlan): string {
  const ids = plan.customerIds;
  return ids[(connection * plan.perConnection + slot) % ids.length] ?? '';
}
