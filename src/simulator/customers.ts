import { json, type Reply } from './faults.js';
import type { StoredProfile } from './profiles.js';

const FIELDS = new Map<string, keyof StoredProfile>([
  ['companyname', 'companyName'],
  ['domain', 'domain'],
]);
const MAX_SIZE = 500;
const TOKEN_PREFIX = 'sim1.';

interface Cursor {
  readonly field: keyof StoredProfile | null;
  readonly value: string;
  readonly offset: number;
}

/** Partner Center's Customer resource for one profile. */
export function customerResource(profile: StoredProfile): Record<string, unknown> {
  return {
    id: profile.id,
    companyProfile: {
      tenantId: profile.id,
      domain: profile.domain,
      companyName: profile.companyName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: profile.relationshipToPartner,
    attributes: { objectType: 'Customer' },
  };
}

/**
 * `GET /v1/customers?size=&filter=` and its continuation (`seekOperation=next` with the
 * `MS-ContinuationToken` header), as Partner Center pages. The token is stateless (the search
 * and the offset, encoded), so any simulator process accepts it; a token it did not make is a 400.
 */
export function listCustomers(
  profiles: readonly StoredProfile[],
  query: URLSearchParams,
  continuationToken: string | undefined,
): Reply {
  const size = Number(query.get('size') ?? '100');
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_SIZE) {
    return json(400, { code: 400, description: `size must be between 1 and ${MAX_SIZE}.` });
  }
  const cursor =
    query.get('seekOperation') === 'next'
      ? parseToken(continuationToken)
      : parseFilter(query.get('filter'));
  if (cursor === undefined) {
    return json(400, { code: 400, description: 'Invalid filter or continuation token.' });
  }
  const { field, value } = cursor;
  const matches =
    field === null
      ? profiles
      : profiles.filter((profile) => profile[field].toLowerCase().startsWith(value.toLowerCase()));
  const end = cursor.offset + size;
  const next = end < matches.length ? makeToken({ field, value, offset: end }) : undefined;
  return json(200, {
    totalCount: matches.length,
    items: matches.slice(cursor.offset, end).map(customerResource),
    links:
      next === undefined
        ? {}
        : {
            next: {
              uri: `/customers?size=${size}&seekOperation=next`,
              method: 'GET',
              headers: [{ key: 'MS-ContinuationToken', value: next }],
            },
          },
    attributes: { objectType: 'Collection' },
  });
}

function parseFilter(text: string | null): Cursor | undefined {
  if (text === null) return { field: null, value: '', offset: 0 };
  try {
    const filter = JSON.parse(text) as Record<string, unknown>;
    const field = FIELDS.get(String(filter['Field']).toLowerCase());
    if (field === undefined || filter['Operator'] !== 'starts_with') return undefined;
    if (typeof filter['Value'] !== 'string') return undefined;
    return { field, value: filter['Value'], offset: 0 };
  } catch {
    return undefined;
  }
}

function makeToken(cursor: Cursor): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function parseToken(token: string | undefined): Cursor | undefined {
  if (token?.startsWith(TOKEN_PREFIX) !== true) return undefined;
  try {
    const cursor = JSON.parse(
      Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'),
    ) as Cursor;
    const fieldOk = cursor.field === null || [...FIELDS.values()].includes(cursor.field);
    return fieldOk &&
      typeof cursor.value === 'string' &&
      Number.isSafeInteger(cursor.offset) &&
      cursor.offset >= 0
      ? cursor
      : undefined;
  } catch {
    return undefined;
  }
}
