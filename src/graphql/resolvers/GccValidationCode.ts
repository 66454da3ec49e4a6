import type { GccValidationCodeResolvers } from '../__generated__/resolvers-types.js';

export const GccValidationCode: GccValidationCodeResolvers = {
  validationCode: (record) => record.validationId,
  isUsable: (record) => record.remainingCreates === null || record.remainingCreates > 0,
};
