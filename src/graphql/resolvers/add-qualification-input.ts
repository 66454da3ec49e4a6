import { randomUUID } from 'node:crypto';
import type {
  AddCustomerQualificationInput,
  EducationSegment,
  SettableQualification,
} from '../__generated__/resolvers-types.js';
import { isGuid, normaliseCustomerId } from '../customer-id.js';
import { badUserInput } from '../errors.js';
import type { CreateQualificationRequest } from '../../partner-center/types.js';

const KINDS: Record<SettableQualification, CreateQualificationRequest['qualification']> = {
  EDUCATION: 'Education',
  STATE_OWNED_ENTITY: 'StateOwnedEntity',
  GOVERNMENT_COMMUNITY_CLOUD: 'GovernmentCommunityCloud',
};
const SEGMENTS: Record<
  EducationSegment,
  NonNullable<CreateQualificationRequest['educationSegment']>
> = {
  K12: 'K12',
  HIGHER_EDUCATION: 'HigherEducation',
};
const VALIDATION_CODE = /^[A-Za-z0-9-]{1,64}$/;
const WEBSITE = /^\S{1,2048}$/;

export interface ValidatedCreate {
  readonly customerId: string;
  readonly request: CreateQualificationRequest;
  /** The write's `MS-RequestId`: the client's idempotency key, or one made for this call. */
  readonly requestId: string;
}

/**
 * Checks a create against Partner Center's `CustomerQualificationRequest` rules before anything is
 * sent, and names every field that is wrong at once.
 */
export function validateAddInput(input: AddCustomerQualificationInput): ValidatedCreate {
  const problems: { field: string; message: string }[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  const customerId = normaliseCustomerId(input.customerId);
  if (customerId === undefined) problem('customerId', 'customerId must be a GUID.');

  const { qualification } = input;
  const segment = input.educationSegment ?? undefined;
  if (qualification === 'EDUCATION' && segment === undefined) {
    problem('educationSegment', 'educationSegment is required for EDUCATION.');
  }
  if (qualification !== 'EDUCATION' && segment !== undefined) {
    problem('educationSegment', 'educationSegment applies to EDUCATION only.');
  }

  const code = input.validationCode?.trim();
  if (qualification === 'GOVERNMENT_COMMUNITY_CLOUD' && (code === undefined || code === '')) {
    problem('validationCode', 'validationCode is required for GOVERNMENT_COMMUNITY_CLOUD.');
  } else if (qualification !== 'GOVERNMENT_COMMUNITY_CLOUD' && code !== undefined) {
    problem('validationCode', 'validationCode applies to GOVERNMENT_COMMUNITY_CLOUD only.');
  } else if (code !== undefined && !VALIDATION_CODE.test(code)) {
    problem('validationCode', 'validationCode must be 1 to 64 letters, digits or dashes.');
  }

  const website = input.website?.trim();
  if (website !== undefined && !WEBSITE.test(website)) {
    problem('website', 'website must be a host or URL without spaces, at most 2048 characters.');
  }

  const key = input.idempotencyKey ?? undefined;
  if (key !== undefined && !isGuid(key)) {
    problem(
      'idempotencyKey',
      'idempotencyKey must be a GUID (Partner Center uses it as MS-RequestId).',
    );
  }

  if (problems.length > 0 || customerId === undefined) {
    throw badUserInput(problems.map((p) => p.message).join(' '), {
      argumentName: 'input',
      fields: problems.map((p) => p.field),
    });
  }
  return {
    customerId,
    requestId: key?.toLowerCase() ?? randomUUID(),
    request: {
      qualification: KINDS[qualification],
      ...(segment === undefined ? {} : { educationSegment: SEGMENTS[segment] }),
      ...(website === undefined ? {} : { website }),
      ...(code === undefined ? {} : { validationCode: code }),
    },
  };
}
