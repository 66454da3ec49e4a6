import { describe, expect, it } from 'vitest';
import { customerJson, pageJson, replyToList, replyToProfile } from '../helpers/mock-directory.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

/**
 * One customer whose qualification read fails (403, 5xx) stays in the answer with its id and
 * what else was read; only the fields that need the failed read are null, each with the error at
 * its path, naming the customer in `extensions.customerId`. Healthy customers are untouched.
 */

const id = (n: number) => `65000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const [OK, REFUSED, DOWN] = [id(1), id(2), id(3)];
const NAMES: Record<string, string> = {
  [OK]: 'Contoso University',
  [REFUSED]: 'Fabrikam School District',
  [DOWN]: 'Northwind Traders',
};

const FIELDS = /* GraphQL */ `
  fragment Read on Customer {
    id
    companyName
    knownToPartnerCenter
    isEducation: isQualifiedFor(qualification: EDUCATION)
    qualificationsReadAt
    qualificationsStale
    qualifications {
      qualification
    }
  }
`;

const DIRECTORY = /* GraphQL */ `
  query {
    customerDirectory(first: 3) {
      edges {
        node {
          ...Read
        }
      }
    }
  }
  ${FIELDS}
`;

const CUSTOMERS = /* GraphQL */ `
  query ($ids: [ID!]!) {
    customers(ids: $ids) {
      ...Read
    }
  }
  ${FIELDS}
`;

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ...Read
    }
  }
  ${FIELDS}
`;

const mocked = mockedGatewayPerTest({ UPSTREAM_RETRIES: '0' });

/** Where `text` starts in `query`, as GraphQL error locations count (1-based). */
function locationOf(query: string, text: string) {
  const lines = query.split('\n');
  const line = lines.findIndex((candidate) => candidate.includes(text));
  return { line: line + 1, column: (lines[line]?.indexOf(text) ?? 0) + 1 };
}

function replyQualifications() {
  mocked.upstream.reply(OK, 200, [{ qualification: 'Education', vettingStatus: 'Approved' }]);
  mocked.upstream.reply(REFUSED, 403, {
    code: 20002,
    description: 'No relationship between caller and account.',
  });
  mocked.upstream.reply(DOWN, 503, { message: 'Service Unavailable' });
}

function replyProfiles() {
  for (const customerId of [OK, REFUSED, DOWN]) {
    replyToProfile(
      mocked.upstream,
      customerId,
      200,
      customerJson(customerId, NAMES[customerId] ?? ''),
    );
  }
}

const healthy = {
  id: OK,
  companyName: NAMES[OK],
  knownToPartnerCenter: true,
  isEducation: true,
  qualificationsReadAt: expect.any(String) as string,
  qualificationsStale: false,
  qualifications: [{ qualification: 'EDUCATION' }],
};

/** A customer kept with its names; every field that needs its qualifications is null. */
const kept = (customerId: string) => ({
  id: customerId,
  companyName: NAMES[customerId],
  knownToPartnerCenter: true,
  isEducation: null,
  qualificationsReadAt: null,
  qualificationsStale: null,
  qualifications: null,
});

/** The fields that need the qualifications read, in `byPath` order. */
const QUALIFICATION_FIELDS = [
  ['isEducation', 'isEducation: isQualifiedFor'],
  ['qualifications', 'qualifications {'],
  ['qualificationsReadAt', 'qualificationsReadAt'],
  ['qualificationsStale', 'qualificationsStale'],
] as const;

const REFUSED_ERROR = {
  message: 'Partner Center refused access to this customer.',
  extensions: { code: 'FORBIDDEN', upstreamStatus: 403, upstreamCode: '20002' },
};
const DOWN_ERROR = {
  message: 'Partner Center is unavailable.',
  extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 },
};

/** The errors of a kept customer at `path`: one per null field, each naming the customer. */
function errorsOf(
  query: string,
  path: (string | number)[],
  customerId: string,
  error: typeof REFUSED_ERROR | typeof DOWN_ERROR,
) {
  return QUALIFICATION_FIELDS.map(([field, text]) => ({
    message: error.message,
    locations: [locationOf(query, text)],
    path: [...path, field],
    extensions: { ...error.extensions, customerId },
  }));
}

/**
 * The body with its errors in path order: GraphQL sets no order among errors, and these come in
 * the order the fields' promises settle.
 */
function byPath(body: Record<string, unknown>) {
  const errors = body['errors'] as { path: unknown }[] | undefined;
  if (errors === undefined) return body;
  const key = (error: { path: unknown }) => JSON.stringify(error.path);
  return { ...body, errors: [...errors].sort((a, b) => (key(a) < key(b) ? -1 : 1)) };
}

const paths = () => mocked.upstream.calls.map((call) => call.path);
const qualificationsPath = (customerId: string) => `/v1/customers/${customerId}/qualifications`;

describe('a customer whose qualification read fails', () => {
  it('stays on its directory page with its names; its qualification fields are null with the error', async () => {
    replyToList(
      mocked.upstream,
      '/v1/customers?size=100',
      200,
      pageJson(
        [OK, REFUSED, DOWN].map((customerId) => customerJson(customerId, NAMES[customerId] ?? '')),
      ),
    );
    replyQualifications();

    const result = await mocked.gateway.execute(DIRECTORY);

    const node = (n: number) => ['customerDirectory', 'edges', n, 'node'];
    expect(byPath(result.body)).toEqual({
      data: {
        customerDirectory: {
          edges: [{ node: healthy }, { node: kept(REFUSED) }, { node: kept(DOWN) }],
        },
      },
      errors: [
        ...errorsOf(DIRECTORY, node(1), REFUSED, REFUSED_ERROR),
        ...errorsOf(DIRECTORY, node(2), DOWN, DOWN_ERROR),
      ],
    });
    // The names came with the list: no profile read.
    expect(paths()).toEqual([
      '/v1/customers?size=100',
      ...[OK, REFUSED, DOWN].map(qualificationsPath),
    ]);
  });

  it('keeps its entry of customers(ids:), with the names its profile read gave', async () => {
    replyProfiles();
    replyQualifications();

    const result = await mocked.gateway.execute(CUSTOMERS, { ids: [OK, REFUSED, DOWN] });

    expect(byPath(result.body)).toEqual({
      data: { customers: [healthy, kept(REFUSED), kept(DOWN)] },
      errors: [
        ...errorsOf(CUSTOMERS, ['customers', 1], REFUSED, REFUSED_ERROR),
        ...errorsOf(CUSTOMERS, ['customers', 2], DOWN, DOWN_ERROR),
      ],
    });
    expect(paths()).toHaveLength(6);
  });

  it('keeps its entity of _entities, so a router keeps the rest of its answer', async () => {
    replyProfiles();
    replyQualifications();

    const result = await mocked.gateway.execute(ENTITIES, {
      representations: [OK, REFUSED, DOWN].map((customerId) => ({
        __typename: 'Customer',
        id: customerId.toUpperCase(),
      })),
    });

    expect(byPath(result.body)).toEqual({
      data: { _entities: [healthy, kept(REFUSED), kept(DOWN)] },
      errors: [
        ...errorsOf(ENTITIES, ['_entities', 1], REFUSED, REFUSED_ERROR),
        ...errorsOf(ENTITIES, ['_entities', 2], DOWN, DOWN_ERROR),
      ],
    });
    expect(paths()).toHaveLength(6);
  });

  it('answers customer(id:) with its id, knownToPartnerCenter null too when no read answered', async () => {
    const query = /* GraphQL */ `
      query ($id: ID!) {
        customer(id: $id) {
          id
          knownToPartnerCenter
          qualifications {
            qualification
          }
        }
      }
    `;
    mocked.upstream.reply(DOWN, 503, { message: 'Service Unavailable' });

    const result = await mocked.gateway.execute(query, { id: DOWN.toUpperCase() });

    expect(byPath(result.body)).toEqual({
      data: { customer: { id: DOWN, knownToPartnerCenter: null, qualifications: null } },
      errors: ['knownToPartnerCenter', 'qualifications'].map((field) => ({
        ...DOWN_ERROR,
        locations: [locationOf(query, field === 'qualifications' ? 'qualifications {' : field)],
        path: ['customer', field],
        extensions: { ...DOWN_ERROR.extensions, customerId: DOWN },
      })),
    });
    expect(paths()).toEqual([qualificationsPath(DOWN)]);
  });
});

describe('a customer whose profile read fails', () => {
  it('keeps its qualifications; only its names are null, with the error naming it', async () => {
    const query = /* GraphQL */ `
      query ($id: ID!) {
        customer(id: $id) {
          id
          companyName
          isEducation: isQualifiedFor(qualification: EDUCATION)
        }
      }
    `;
    replyToProfile(mocked.upstream, OK, 503, { message: 'Service Unavailable' });
    mocked.upstream.reply(OK, 200, [{ qualification: 'Education', vettingStatus: 'Approved' }]);

    const result = await mocked.gateway.execute(query, { id: OK });

    expect(byPath(result.body)).toEqual({
      data: { customer: { id: OK, companyName: null, isEducation: true } },
      errors: [
        {
          ...DOWN_ERROR,
          locations: [locationOf(query, 'companyName')],
          path: ['customer', 'companyName'],
          extensions: { ...DOWN_ERROR.extensions, customerId: OK },
        },
      ],
    });
    expect(paths().sort()).toEqual([`/v1/customers/${OK}`, qualificationsPath(OK)].sort());
  });
});

describe('a customer asked for its id alone', () => {
  it('is null with the error naming it when the read that shows it exists fails', async () => {
    const query = /* GraphQL */ `
      query ($ids: [ID!]!) {
        customers(ids: $ids) {
          id
        }
      }
    `;
    mocked.upstream.reply(OK, 200, []);
    mocked.upstream.reply(DOWN, 503, { message: 'Service Unavailable' });

    const result = await mocked.gateway.execute(query, { ids: [OK, DOWN] });

    // Nothing asked shows the read, so no field could carry its error: the entry does.
    expect(byPath(result.body)).toEqual({
      data: { customers: [{ id: OK }, null] },
      errors: [
        {
          ...DOWN_ERROR,
          locations: [locationOf(query, 'customers(ids')],
          path: ['customers', 1],
          extensions: { ...DOWN_ERROR.extensions, customerId: DOWN },
        },
      ],
    });
  });
});
