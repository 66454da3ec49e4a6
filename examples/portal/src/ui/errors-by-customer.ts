import type { GraphQLFormattedError } from 'graphql';

/**
 * The gateway names the customer of every per-customer error in `extensions.customerId` (the
 * lower-case id), so a list shows each failure on its own row instead of decoding `path`.
 */
export function errorsByCustomer(
  errors: readonly GraphQLFormattedError[] | undefined,
): ReadonlyMap<string, string> {
  const byCustomer = new Map<string, string>();
  for (const error of errors ?? []) {
    const customerId = error.extensions?.['customerId'];
    if (typeof customerId === 'string') byCustomer.set(customerId, error.message);
  }
  return byCustomer;
}

/** Errors no single customer owns (a failed list call, a refused argument). */
export function generalErrors(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  return (errors ?? [])
    .filter((error) => typeof error.extensions?.['customerId'] !== 'string')
    .map((error) => error.message);
}
