import { generatedCustomerId } from '../src/simulator/data.js';

/**
 * The benchmark's workloads. Each is a function from an operation number to one HTTP request, so
 * the load worker can rotate over customers without precomputing anything, and every number in
 * the report can be divided by what an operation asks for.
 */

export const WORKLOAD_NAMES = [
  'W1',
  'W2',
  'W3',
  'W4',
  'W5',
  'W6',
  'W7',
  'R1',
  'R2',
  'R3',
  'R4',
  'O1',
  'F1',
  'S1',
] as const;
/** What `npm run bench` runs unless told otherwise: the references are for digging. */
export const DEFAULT_WORKLOADS: readonly WorkloadName[] = [
  'W1',
  'W2',
  'W3',
  'W4',
  'W5',
  'W6',
  'O1',
];
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/**
 * How many generated customers the simulator seeds (its `generatedCustomers` default). Rotating
 * over all of them keeps every operation a cold read in W1–W3, which run with the gateway's
 * cache off; W5 and W6 read the same rotation through the cache, warmed by the warm-up.
 */
export const GENERATED_CUSTOMERS = 1000;

export interface BenchRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
}

export interface Workload {
  readonly name: WorkloadName;
  readonly description: string;
  /** `gateway`: POST /graphql; `simulator`: the REST endpoint directly (the physical limit). */
  readonly target: 'gateway' | 'simulator';
  /**
   * A reference server (bench/reference/, run with tsx) in the gateway's place, answering a
   * gateway workload's request: what the same work costs without the gateway's code.
   */
  readonly reference?: string;
  /** The gateway's environment for this workload (before `--gateway-env`). */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  /**
   * Reads every customer of the rotation once through the first gateway before the warm-up, so
   * the measured phase runs over a warm cache (in W6 the second gateway warms from Redis).
   */
  readonly prime?: true;
  /** Two gateways sharing the workload's Redis, the load split between them. */
  readonly replicas?: 2;
  /** The benchmark starts a `redis-server` and gives every gateway its `REDIS_URL`. */
  readonly redis?: true;
  /** Customers named in one operation, duplicates included. */
  readonly customersPerOperation: number;
  /** Distinct customers in one operation: the upstream calls it must cost. */
  readonly uniqueCustomersPerOperation: number;
  /** The request of operation `n` (0, 1, 2, …). */
  request(n: number): BenchRequest;
}

/** Every GraphQL request carries this token; the simulator only checks that it is a Bearer. */
export const BENCH_AUTHORIZATION = 'Bearer bench';

const CUSTOMER_QUERY =
  'query($id: ID!){ customer(id:$id){ id qualifications { qualification vettingStatus vettingCreatedDate } } }';
const CUSTOMERS_QUERY =
  'query($ids: [ID!]!){ customers(ids:$ids){ id qualifications { qualification vettingStatus vettingCreatedDate } } }';
// What an Apollo router sends to resolve Customer references.
const ENTITIES_QUERY =
  'query($r:[_Any!]!){ _entities(representations:$r){ ... on Customer { id qualifications { qualification vettingStatus } } } }';

/** W1–W3 and W7 measure cold reads, as before the cache: every operation reaches upstream. */
const COLD: Readonly<Record<string, string>> = { CACHE_ENABLED: 'false' };

/**
 * W7's call budget: the most src/config.ts accepts. Kept by 1-s windows of 16393 calls
 * (src/fleet/budget-windows.ts), far above what one gateway on this machine reads a second, so it
 * costs its bookkeeping and never makes a call wait.
 */
const UNLIMITED_CALLS_PER_MINUTE = '1000000';

const customerId = (n: number): string => generatedCustomerId(n % GENERATED_CUSTOMERS);

/**
 * `total` ids for operation `n`: `unique` consecutive customers, then the first `total - unique`
 * of them again, as a page or a router's batch repeats some references. Consecutive operations
 * start `unique` customers further on, so operations do not share customers more than the
 * rotation over 1000 forces.
 */
function idsOfOperation(n: number, total: number, unique: number): string[] {
  const first = n * unique;
  const ids = Array.from({ length: unique }, (_, i) => customerId(first + i));
  for (let i = 0; ids.length < total; i += 1) ids.push(ids[i % unique] ?? customerId(first));
  return ids;
}

function graphql(query: string, variables: Record<string, unknown>): BenchRequest {
  return { method: 'POST', path: '/graphql', body: JSON.stringify({ query, variables }) };
}

// One builder per request text, so a reference answers exactly what its gateway workload sends.
const customerRequest = (n: number): BenchRequest => graphql(CUSTOMER_QUERY, { id: customerId(n) });
const customersRequest = (n: number): BenchRequest =>
  graphql(CUSTOMERS_QUERY, { ids: idsOfOperation(n, 20, 15) });
const entitiesRequest = (n: number): BenchRequest =>
  graphql(ENTITIES_QUERY, {
    r: idsOfOperation(n, 50, 40).map((id) => ({ __typename: 'Customer', id })),
  });

export const WORKLOADS: Readonly<Record<WorkloadName, Workload>> = {
  W1: {
    name: 'W1',
    description: 'customer(id:) — one customer per operation',
    target: 'gateway',
    gatewayEnv: COLD,
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: customerRequest,
  },
  W2: {
    name: 'W2',
    description: 'customers(ids:) — 20 ids, 15 unique',
    target: 'gateway',
    gatewayEnv: COLD,
    customersPerOperation: 20,
    uniqueCustomersPerOperation: 15,
    request: customersRequest,
  },
  W3: {
    name: 'W3',
    description: '_entities — 50 Customer representations, 40 unique',
    target: 'gateway',
    gatewayEnv: COLD,
    customersPerOperation: 50,
    uniqueCustomersPerOperation: 40,
    request: entitiesRequest,
  },
  W5: {
    name: 'W5',
    description: "W1 through the gateway's cache, warmed by the warm-up (memory tier)",
    target: 'gateway',
    prime: true,
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: customerRequest,
  },
  W6: {
    name: 'W6',
    description: 'W5 on two gateways sharing one Redis, both reading the same customers',
    target: 'gateway',
    replicas: 2,
    redis: true,
    prime: true,
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: customerRequest,
  },
  W7: {
    name: 'W7',
    description:
      'W1 with every fleet feature on: REDIS_URL and UPSTREAM_MAX_CALLS_PER_MINUTE (never reached)',
    target: 'gateway',
    gatewayEnv: { ...COLD, UPSTREAM_MAX_CALLS_PER_MINUTE: UNLIMITED_CALLS_PER_MINUTE },
    redis: true,
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: customerRequest,
  },
  O1: {
    name: 'O1',
    description: 'customers(ids:) — 15 ids, all unique: the overload run (bench/overload.ts)',
    target: 'gateway',
    customersPerOperation: 15,
    uniqueCustomersPerOperation: 15,
    request: (n) => graphql(CUSTOMERS_QUERY, { ids: idsOfOperation(n, 15, 15) }),
  },
  F1: {
    name: 'F1',
    description:
      'customer(id:) on three gateways sharing Redis under a call budget (bench/fleet-budget.ts)',
    target: 'gateway',
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: customerRequest,
  },
  S1: {
    name: 'S1',
    description:
      'idle subscriptions on two gateways sharing Redis, and W1/W5 beside them (bench/s1.ts)',
    target: 'gateway',
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: customerRequest,
  },
  R1: {
    name: 'R1',
    description: "W1's request to a bare node:http + undici proxy, no GraphQL — the HTTP floor",
    target: 'gateway',
    reference: 'bench/reference/http-proxy.ts',
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: customerRequest,
  },
  R2: {
    name: 'R2',
    description: "W1's request to a minimal Apollo Server 5 + DataLoader + undici subgraph",
    target: 'gateway',
    reference: 'bench/reference/apollo-minimal.ts',
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: customerRequest,
  },
  R3: {
    name: 'R3',
    description: "W2's request (customers(ids:), 20 ids, 15 unique) to R2's minimal subgraph",
    target: 'gateway',
    reference: 'bench/reference/apollo-minimal.ts',
    customersPerOperation: 20,
    uniqueCustomersPerOperation: 15,
    request: customersRequest,
  },
  R4: {
    name: 'R4',
    description: "W3's request (_entities, 50 representations, 40 unique) to R2's minimal subgraph",
    target: 'gateway',
    reference: 'bench/reference/apollo-minimal.ts',
    customersPerOperation: 50,
    uniqueCustomersPerOperation: 40,
    request: entitiesRequest,
  },
  W4: {
    name: 'W4',
    description: 'GET /v1/customers/{id}/qualifications on the simulator — the physical limit',
    target: 'simulator',
    customersPerOperation: 1,
    uniqueCustomersPerOperation: 1,
    request: (n) => ({ method: 'GET', path: `/v1/customers/${customerId(n)}/qualifications` }),
  },
};

/** The requests that read every customer of the rotation once, 100 per operation. */
export function primingRequests(): BenchRequest[] {
  const pages: BenchRequest[] = [];
  for (let first = 0; first < GENERATED_CUSTOMERS; first += 100) {
    const ids = Array.from({ length: 100 }, (_, i) => customerId(first + i));
    pages.push(graphql(CUSTOMERS_QUERY, { ids }));
  }
  return pages;
}

export function isWorkloadName(value: string): value is WorkloadName {
  return (WORKLOAD_NAMES as readonly string[]).includes(value);
}
