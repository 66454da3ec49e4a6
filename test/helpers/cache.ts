import { setTimeout as sleep } from 'node:timers/promises';
import { postGraphQL, type GraphQLResponse, type RunningGateway } from './gateway.js';
import { parsePrometheus, sampleValue } from './prometheus.js';

/** A customer with what the cache adds to it. */
export const CUSTOMER_READ = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
      qualifications {
        qualification
        vettingStatus
      }
      qualificationsReadAt
      qualificationsStale
    }
  }
`;

export const ADD_EDUCATION = /* GraphQL */ `
  mutation ($id: ID!) {
    addCustomerQualification(
      input: { customerId: $id, qualification: EDUCATION, educationSegment: K12 }
    ) {
      customer {
        qualifications {
          qualification
          vettingStatus
        }
        qualificationsStale
      }
      errors {
        code
      }
    }
  }
`;

/** Reads one customer as `authorization`, asking for the operation's upstream cost. */
export function readCustomer(
  gateway: RunningGateway,
  id: string,
  authorization: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  return postGraphQL(
    gateway.graphqlUrl,
    CUSTOMER_READ,
    { id },
    { authorization, 'x-upstream-cost': '1', ...headers },
  );
}

/** The customer of a `readCustomer` answer, or `null`. */
export function customerOf(response: GraphQLResponse): Record<string, unknown> | null {
  const data = response.body['data'] as { customer: Record<string, unknown> | null } | undefined;
  return data?.customer ?? null;
}

export function costOf(response: GraphQLResponse): Record<string, number> | undefined {
  const extensions = response.body['extensions'] as
    { upstreamCost?: Record<string, number> } | undefined;
  return extensions?.upstreamCost;
}

export async function cacheLookups(
  gateway: RunningGateway,
  tier: 'memory' | 'redis',
  result: 'hit' | 'miss' | 'stale' | 'bypass',
): Promise<number> {
  const text = await (await fetch(`${gateway.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), 'pcgw_cache_lookups_total', { tier, result }) ?? 0;
}

/** Waits (without a timed assertion) until `condition` holds; vitest's timeout bounds it. */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await sleep(20);
}
