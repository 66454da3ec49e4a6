import type {
  AddCustomerQualificationErrorCode,
  MutationResolvers,
} from '../__generated__/resolvers-types.js';
import { forbidden, fromUpstream } from '../errors.js';
import type { CreateQualificationRequest } from '../../partner-center/types.js';
import { validateAddInput } from './add-qualification-input.js';

const MESSAGES: Record<AddCustomerQualificationErrorCode, string> = {
  ALREADY_QUALIFIED: 'The customer already has this qualification.',
  VALIDATION_CODE_REJECTED:
    'Partner Center refused the validation code: it is unknown or used up, or the customer already has a qualification.',
  NOT_ALLOWED:
    'Partner Center does not allow this caller to add the qualification (App+User token and a suitable GDAP role are needed).',
  CUSTOMER_NOT_FOUND: 'Partner Center does not know this customer.',
  REJECTED: 'Partner Center refused the request.',
};

/** Partner Center's refusals by status; a 400 on a GCC create is about its validation code. */
function refusalCode(
  status: number,
  request: CreateQualificationRequest,
): AddCustomerQualificationErrorCode {
  if (status === 409) return 'ALREADY_QUALIFIED';
  if (status === 403) return 'NOT_ALLOWED';
  if (status === 404) return 'CUSTOMER_NOT_FOUND';
  return request.qualification === 'GovernmentCommunityCloud'
    ? 'VALIDATION_CODE_REJECTED'
    : 'REJECTED';
}

export const Mutation: MutationResolvers = {
  addCustomerQualification: async (_parent, { input }, context) => {
    const { customerId, request, requestId } = validateAddInput(input);
    if (context.authMode === 'app') {
      throw forbidden(
        'Adding a qualification needs App+User credentials: Partner Center refuses it with the app-only identity this gateway runs with.',
        { customerId },
      );
    }
    const result = await context.api
      .createCustomerQualification(customerId, request, requestId, context.call)
      .catch((error: unknown) => {
        throw fromUpstream(error, { customerId });
      });
    // Created, or already there (409, perhaps added elsewhere): every read of this customer held
    // so far may be older than that; the payload reads it afresh.
    if (result.kind === 'created' || result.status === 409)
      await context.forgetCustomer(customerId);
    else context.loaders.customer.clear(customerId);
    if (result.kind === 'created') {
      return { customerId, qualification: result.qualification, errors: [] };
    }
    const code = refusalCode(result.status, request);
    return {
      customerId,
      qualification: null,
      errors: [{ code, message: MESSAGES[code], upstreamCode: result.upstreamCode ?? null }],
    };
  },
};
