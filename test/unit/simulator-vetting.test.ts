import { describe, expect, it } from 'vitest';
import {
  SAMPLE_CUSTOMER_IDS,
  seedCustomers,
  type StoredCustomer,
} from '../../src/simulator/data.js';
import { Vetting } from '../../src/simulator/vetting.js';

const IN_REVIEW = SAMPLE_CUSTOMER_IDS.educationInReview;
const TO_BE_DENIED = SAMPLE_CUSTOMER_IDS.wrapperAndOffsetDate;
const ESCALATED = SAMPLE_CUSTOMER_IDS.futureValues;

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function customer(customers: Map<string, StoredCustomer>, id: string): StoredCustomer {
  const found = customers.get(id);
  if (found === undefined) throw new Error(`no seeded customer ${id}`);
  return found;
}

describe('simulated vetting', () => {
  it('leaves a seeded review InReview until the period has passed since seeding, then approves it', () => {
    const time = clock();
    const vetting = new Vetting({ seconds: 120, now: time.now });
    const stored = customer(seedCustomers(0), IN_REVIEW);

    time.advance(119_999);
    vetting.decide(IN_REVIEW, stored);
    const before = stored.qualifications.map((q) => ({ ...q }));
    time.advance(1);
    vetting.decide(IN_REVIEW, stored);

    expect(before).toEqual([
      {
        qualification: 'Education',
        vettingStatus: 'InReview',
        vettingCreateDate: '2020-12-04T20:54:24Z',
      },
    ]);
    expect(stored.qualifications).toEqual([
      {
        qualification: 'Education',
        vettingStatus: 'Approved',
        vettingCreateDate: '2020-12-04T20:54:24Z',
      },
    ]);
  });

  it('denies the seeded customer meant to be denied, with a reason', () => {
    const time = clock();
    const vetting = new Vetting({ seconds: 120, now: time.now });
    const stored = customer(seedCustomers(0), TO_BE_DENIED);

    time.advance(120_000);
    vetting.decide(TO_BE_DENIED, stored);

    expect(stored.qualifications).toEqual([
      {
        qualification: 'Education',
        vettingStatus: 'Denied',
        vettingReason: 'Not an Education Customer',
        vettingCreatedDate: '2021-05-06T21:59:56.6832021+02:00',
      },
    ]);
  });

  it('decides a created qualification the period after its creation, not after seeding', () => {
    const time = clock();
    const vetting = new Vetting({ seconds: 120, now: time.now });
    const stored: StoredCustomer = { wrapped: false, qualifications: [] };
    time.advance(100_000);
    const created = { qualification: 'GovernmentCommunityCloud', vettingStatus: 'InReview' };
    stored.qualifications.push(created);
    vetting.started(created);

    time.advance(119_999);
    vetting.decide(IN_REVIEW, stored);
    const before = created.vettingStatus;
    time.advance(1);
    vetting.decide(IN_REVIEW, stored);

    expect(before).toBe('InReview');
    expect(created).toEqual({
      qualification: 'GovernmentCommunityCloud',
      vettingStatus: 'Approved',
    });
  });

  it('restarts the seeded reviews when the simulator is seeded again', () => {
    const time = clock();
    const vetting = new Vetting({ seconds: 120, now: time.now });
    time.advance(100_000);
    vetting.seeded();
    const stored = customer(seedCustomers(0), IN_REVIEW);

    time.advance(119_999);
    vetting.decide(IN_REVIEW, stored);

    expect(stored.qualifications[0]?.['vettingStatus']).toBe('InReview');
  });

  it('never touches a vetting state other than InReview, nor decides anything with a period of 0', () => {
    const time = clock();
    const decided = new Vetting({ seconds: 120, now: time.now });
    const never = new Vetting({ seconds: 0, now: time.now });
    const customers = seedCustomers(0);
    const escalated = customer(customers, ESCALATED);
    const inReview = customer(customers, IN_REVIEW);

    time.advance(86_400_000);
    decided.decide(ESCALATED, escalated);
    never.decide(IN_REVIEW, inReview);

    expect(escalated.qualifications[0]?.['vettingStatus']).toBe('Escalated');
    expect(inReview.qualifications[0]?.['vettingStatus']).toBe('InReview');
  });
});
