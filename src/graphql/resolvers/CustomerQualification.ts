import type { CustomerQualificationResolvers } from '../__generated__/resolvers-types.js';
import { parseIsoDateTime } from './date-time.js';
import { upstreamBadResponse } from '../errors.js';
import { qualificationKind, vettingStatus } from './qualification-values.js';

export const CustomerQualification: CustomerQualificationResolvers = {
  qualification: (record, _args, context) => qualificationKind(record.qualification, context),
  rawQualification: (record) => record.qualification,
  vettingStatus: (record, _args, context) =>
    record.vettingStatus === null ? null : vettingStatus(record.vettingStatus, context),
  rawVettingStatus: (record) => record.vettingStatus,
  vettingCreatedDate: (record) => {
    if (record.vettingCreatedDate === null) return null;
    const date = parseIsoDateTime(record.vettingCreatedDate);
    // Only this field fails; the rest of the qualification is still answered.
    if (date === undefined)
      throw upstreamBadResponse('Partner Center sent a vetting date that is not a date.');
    return date;
  },
};
