/**
 * The simulator's customers: one for every sample shape in Partner Center's documentation, plus
 * shapes the docs disagree on, so every parsing path can be seen in Sandbox and tested.
 */

export const SAMPLE_CUSTOMER_IDS = {
  educationApproved: '10000000-0000-4000-8000-000000000001',
  educationInReview: '10000000-0000-4000-8000-000000000002',
  educationDenied: '10000000-0000-4000-8000-000000000003',
  stateOwnedEntity: '10000000-0000-4000-8000-000000000004',
  educationAndStateOwned: '10000000-0000-4000-8000-000000000005',
  gccAndStateOwned: '10000000-0000-4000-8000-000000000006',
  noQualifications: '10000000-0000-4000-8000-000000000007',
  /** REST-reference wrapper, the other date spelling, 7 fractional digits and an offset. */
  wrapperAndOffsetDate: '10000000-0000-4000-8000-000000000008',
  /** A kind and a vetting state Partner Center may add tomorrow. */
  futureValues: '10000000-0000-4000-8000-000000000009',
} as const;

/**
 * Ids that make the simulator misbehave in one way each. The `…Once` ones fail the first read
 * only and then answer as an approved Education customer, until `reset()`.
 */
export const FAULT_CUSTOMER_IDS = {
  unauthorized: 'f0000000-0000-4000-8000-000000000401',
  forbidden: 'f0000000-0000-4000-8000-000000000403',
  notFound: 'f0000000-0000-4000-8000-000000000404',
  throttled: 'f0000000-0000-4000-8000-000000000429',
  throttledOnce: 'f0000000-0000-4000-8000-000000001429',
  /** 429 with `Retry-After: 30`: longer than a call may wait, so every replica holds the customer. */
  throttledLong: 'f0000000-0000-4000-8000-000000002429',
  serverError: 'f0000000-0000-4000-8000-000000000500',
  unavailable: 'f0000000-0000-4000-8000-000000000503',
  unavailableOnce: 'f0000000-0000-4000-8000-000000001503',
  hang: 'f0000000-0000-4000-8000-000000000999',
  malformedJson: 'f0000000-0000-4000-8000-000000000998',
  wrongShape: 'f0000000-0000-4000-8000-000000000997',
  badDate: 'f0000000-0000-4000-8000-000000000996',
  slowBody: 'f0000000-0000-4000-8000-000000000995',
  connectionReset: 'f0000000-0000-4000-8000-000000000994',
} as const;

export type FaultName = keyof typeof FAULT_CUSTOMER_IDS;

export function isFaultName(value: unknown): value is FaultName {
  return typeof value === 'string' && Object.hasOwn(FAULT_CUSTOMER_IDS, value);
}

/** Faults that strike once and then let the customer answer normally. */
export const ONE_SHOT_FAULTS: ReadonlySet<FaultName> = new Set([
  'throttledOnce',
  'unavailableOnce',
]);

/** Qualification objects exactly as Partner Center writes them (so: untyped JSON). */
export type UpstreamQualification = Record<string, string>;

/** A stored body: the array form, or the REST reference's wrapper. */
export interface StoredCustomer {
  readonly wrapped: boolean;
  readonly qualifications: UpstreamQualification[];
}

const SAMPLES: Record<keyof typeof SAMPLE_CUSTOMER_IDS, StoredCustomer> = {
  educationApproved: plain([{ qualification: 'Education', vettingStatus: 'Approved' }]),
  educationInReview: plain([
    {
      qualification: 'Education',
      vettingStatus: 'InReview',
      vettingCreateDate: '2020-12-04T20:54:24Z',
    },
  ]),
  educationDenied: plain([
    {
      qualification: 'Education',
      vettingStatus: 'Denied',
      vettingReason: 'Not an Education Customer',
      vettingCreateDate: '2020-12-04T20:54:24Z',
    },
  ]),
  stateOwnedEntity: plain([{ qualification: 'StateOwnedEntity' }]),
  educationAndStateOwned: plain([
    { qualification: 'Education', vettingStatus: 'Approved' },
    { qualification: 'StateOwnedEntity' },
  ]),
  gccAndStateOwned: plain([
    {
      qualification: 'GovernmentCommunityCloud',
      vettingStatus: 'Approved',
      vettingCreateDate: '2021-05-06T19:59:56.6832021+00:00',
    },
    { qualification: 'StateOwnedEntity' },
  ]),
  noQualifications: plain([]),
  wrapperAndOffsetDate: {
    wrapped: true,
    qualifications: [
      {
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreatedDate: '2021-05-06T21:59:56.6832021+02:00',
      },
    ],
  },
  futureValues: plain([
    {
      qualification: 'SovereignCloud',
      vettingStatus: 'Escalated',
      vettingCreateDate: '2026-01-15T08:00:00Z',
    },
  ]),
};

function plain(qualifications: UpstreamQualification[]): StoredCustomer {
  return { wrapped: false, qualifications };
}

/** Prefix of the generated customers a benchmark or load test can rotate over. */
export const GENERATED_ID_PREFIX = 'c0000000-0000-4000-8000-';

/** `c0000000-0000-4000-8000-000000000042` is generated customer 42. */
export function generatedCustomerId(n: number): string {
  return GENERATED_ID_PREFIX + n.toString().padStart(12, '0');
}

const SHAPES = Object.values(SAMPLES).slice(0, 7);

/**
 * A fresh copy of the seed: the samples plus `generated` customers whose shapes cycle through
 * the documented samples.
 */
export function seedCustomers(generated: number): Map<string, StoredCustomer> {
  const customers = new Map<string, StoredCustomer>();
  for (const [name, id] of Object.entries(SAMPLE_CUSTOMER_IDS)) {
    customers.set(id, clone(SAMPLES[name as keyof typeof SAMPLES]));
  }
  for (const fault of ONE_SHOT_FAULTS) {
    customers.set(FAULT_CUSTOMER_IDS[fault], clone(SAMPLES.educationApproved));
  }
  for (let n = 0; n < generated; n += 1) {
    const shape = SHAPES[n % SHAPES.length];
    if (shape !== undefined) customers.set(generatedCustomerId(n), clone(shape));
  }
  return customers;
}

function clone(customer: StoredCustomer): StoredCustomer {
  return {
    wrapped: customer.wrapped,
    qualifications: customer.qualifications.map((q) => ({ ...q })),
  };
}

export interface ValidationCode {
  readonly partnerId: string;
  readonly organizationName: string;
  readonly validationId: string;
  readonly maxCreates: number;
  remainingCreates: number;
  readonly eTag: string;
}

export function seedValidationCodes(): ValidationCode[] {
  return [
    {
      partnerId: '00000000-0000-4000-8000-0000000000aa',
      organizationName: 'Contoso County Government',
      validationId: '123456',
      maxCreates: 5,
      remainingCreates: 5,
      eTag: '"1"',
    },
    {
      partnerId: '00000000-0000-4000-8000-0000000000aa',
      organizationName: 'Fabrikam State Agency',
      validationId: '654321',
      maxCreates: 1,
      remainingCreates: 0,
      eTag: '"7"',
    },
  ];
}
