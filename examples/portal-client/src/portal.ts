import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  AddQualification,
  CustomerDirectoryPage,
  CustomerQualifications,
  CustomersPage,
} from './operations.js';
import type { CustomerDirectoryPageQuery } from './gql/graphql.js';

/** The smallest typed GraphQL client: results and variables typed by the document itself. */
export async function execute<Result, Variables>(
  endpoint: string,
  token: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (body.data === undefined)
    throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data;
}

/** What a portal shows for one customer; the compiler checks every field it touches. */
export async function describeCustomer(
  endpoint: string,
  token: string,
  id: string,
): Promise<string> {
  const { customer } = await execute(endpoint, token, CustomerQualifications, { id });
  if (customer === null || customer === undefined) return `${id}: unknown customer`;
  // Null when the qualifications read failed: the customer is still there, its error in `errors`.
  if (customer.qualifications === null || customer.qualifications === undefined) {
    return `${customer.id}: qualifications could not be read just now`;
  }
  const lines = customer.qualifications.map((q) => {
    const status = q.vettingStatus ?? 'not vetted';
    const reason =
      q.vettingReason === null || q.vettingReason === undefined ? '' : ` (${q.vettingReason})`;
    return `${q.qualification}: ${status}${reason}`;
  });
  return [`${customer.id}${customer.isEducation ? ' — Education pricing' : ''}`, ...lines].join(
    '\n',
  );
}

/** Every customer whose name starts with `name`, page by page (`pageInfo.endCursor` as `after`). */
export async function searchDirectory(
  endpoint: string,
  token: string,
  name: string,
): Promise<string[]> {
  const rows: string[] = [];
  let after: string | null = null;
  for (;;) {
    // Annotated: `after` comes from the previous answer, which TypeScript cannot infer through.
    const { customerDirectory }: CustomerDirectoryPageQuery = await execute(
      endpoint,
      token,
      CustomerDirectoryPage,
      {
        first: 50,
        after,
        name,
      },
    );
    for (const { node } of customerDirectory.edges) {
      if (node === null || node === undefined) continue;
      rows.push(`${node.companyName ?? node.id}${node.isEducation ? ' — Education' : ''}`);
    }
    if (!customerDirectory.pageInfo.hasNextPage) return rows;
    after = customerDirectory.pageInfo.endCursor ?? null;
  }
}

export async function pageOfCustomers(
  endpoint: string,
  token: string,
  ids: string[],
): Promise<number> {
  const { customers } = await execute(endpoint, token, CustomersPage, { ids });
  return customers.filter((customer) =>
    customer?.qualifications?.some((q) => q.vettingStatus === 'IN_REVIEW'),
  ).length;
}

export async function addEducation(
  endpoint: string,
  token: string,
  customerId: string,
): Promise<string[]> {
  const { addCustomerQualification } = await execute(endpoint, token, AddQualification, {
    input: { customerId, qualification: 'EDUCATION', educationSegment: 'HIGHER_EDUCATION' },
  });
  return addCustomerQualification.errors.map((error) => `${error.code}: ${error.message}`);
}
