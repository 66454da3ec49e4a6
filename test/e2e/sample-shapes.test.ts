import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS as IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';

let running: RunningGateway;
beforeAll(async () => {
  running = await startGateway();
});
afterAll(() => running.close());

const none = {
  vettingStatus: null,
  rawVettingStatus: null,
  vettingReason: null,
  vettingCreatedDate: null,
};
const education = { qualification: 'EDUCATION', rawQualification: 'Education' };
const soe = { qualification: 'STATE_OWNED_ENTITY', rawQualification: 'StateOwnedEntity', ...none };
const approved = { vettingStatus: 'APPROVED', rawVettingStatus: 'Approved' };

it('answers every documented sample shape over HTTP, in order, one upstream call each', async () => {
  const ids = Object.values(IDS);

  const response = await postGraphQL(
    running.graphqlUrl,
    /* GraphQL */ `
      query Samples($ids: [ID!]!) {
        customers(ids: $ids) {
          id
          qualifications {
            qualification
            rawQualification
            vettingStatus
            rawVettingStatus
            vettingReason
            vettingCreatedDate
          }
        }
      }
    `,
    { ids },
  );

  expect(response.status).toBe(200);
  expect(response.body).toEqual({
    data: {
      customers: [
        {
          id: IDS.educationApproved,
          qualifications: [
            { ...education, ...approved, vettingReason: null, vettingCreatedDate: null },
          ],
        },
        {
          id: IDS.educationInReview,
          qualifications: [
            {
              ...education,
              vettingStatus: 'IN_REVIEW',
              rawVettingStatus: 'InReview',
              vettingReason: null,
              vettingCreatedDate: '2020-12-04T20:54:24.000Z',
            },
          ],
        },
        {
          id: IDS.educationDenied,
          qualifications: [
            {
              ...education,
              vettingStatus: 'DENIED',
              rawVettingStatus: 'Denied',
              vettingReason: 'Not an Education Customer',
              vettingCreatedDate: '2020-12-04T20:54:24.000Z',
            },
          ],
        },
        { id: IDS.stateOwnedEntity, qualifications: [soe] },
        {
          id: IDS.educationAndStateOwned,
          qualifications: [
            { ...education, ...approved, vettingReason: null, vettingCreatedDate: null },
            soe,
          ],
        },
        {
          id: IDS.gccAndStateOwned,
          qualifications: [
            {
              qualification: 'GOVERNMENT_COMMUNITY_CLOUD',
              rawQualification: 'GovernmentCommunityCloud',
              ...approved,
              vettingReason: null,
              vettingCreatedDate: '2021-05-06T19:59:56.683Z',
            },
            soe,
          ],
        },
        { id: IDS.noQualifications, qualifications: [] },
        {
          id: IDS.wrapperAndOffsetDate,
          qualifications: [
            {
              ...education,
              vettingStatus: 'IN_REVIEW',
              rawVettingStatus: 'InReview',
              vettingReason: null,
              vettingCreatedDate: '2021-05-06T19:59:56.683Z',
            },
          ],
        },
        {
          id: IDS.futureValues,
          qualifications: [
            {
              qualification: 'OTHER',
              rawQualification: 'SovereignCloud',
              vettingStatus: 'OTHER',
              rawVettingStatus: 'Escalated',
              vettingReason: null,
              vettingCreatedDate: '2026-01-15T08:00:00.000Z',
            },
          ],
        },
      ],
    },
  });
  expect(running.simulator.stats.reads).toBe(ids.length);
});
