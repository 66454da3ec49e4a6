import { useMutation, useQuery } from '@apollo/client/react/index.js';
import { useState, type FormEvent } from 'react';
import type {
  AddCustomerQualificationInput,
  EducationSegment,
  SettableQualification,
} from '../gql/graphql.js';
import { AddQualification, GccValidationCodes } from '../operations.js';

const KINDS: readonly SettableQualification[] = [
  'EDUCATION',
  'STATE_OWNED_ENTITY',
  'GOVERNMENT_COMMUNITY_CLOUD',
];

/** What the form sends: each kind with only the fields the gateway accepts for it. */
function inputOf(
  customerId: string,
  kind: SettableQualification,
  segment: EducationSegment,
  website: string,
  validationCode: string,
): AddCustomerQualificationInput {
  // One key per submit: a retry of this submit is the same write, never a second one.
  const base = { customerId, qualification: kind, idempotencyKey: crypto.randomUUID() };
  switch (kind) {
    case 'EDUCATION':
      return { ...base, educationSegment: segment, ...(website === '' ? {} : { website }) };
    case 'GOVERNMENT_COMMUNITY_CLOUD':
      return { ...base, validationCode };
    case 'STATE_OWNED_ENTITY':
      return base;
  }
}

export function AddQualificationForm({ customerId }: { readonly customerId: string }) {
  const [kind, setKind] = useState<SettableQualification>('EDUCATION');
  const [segment, setSegment] = useState<EducationSegment>('HIGHER_EDUCATION');
  const [website, setWebsite] = useState('');
  const [validationCode, setValidationCode] = useState('');
  const codes = useQuery(GccValidationCodes, { skip: kind !== 'GOVERNMENT_COMMUNITY_CLOUD' });
  // Expected refusals come in the payload's `errors`; Partner Center's failures as GraphQL errors.
  const [add, outcome] = useMutation(AddQualification, { errorPolicy: 'all' });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add({
      variables: { input: inputOf(customerId, kind, segment, website.trim(), validationCode) },
    }).catch(() => undefined); // shown through `outcome.error`
  };

  const payload = outcome.data?.addCustomerQualification;
  return (
    <form onSubmit={submit} aria-label="Add a qualification">
      <h3>Add a qualification</h3>
      <label>
        Qualification{' '}
        <select
          name="qualification"
          value={kind}
          onChange={(event) => setKind(event.target.value as SettableQualification)}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {kind === 'EDUCATION' && (
        <>
          <label>
            Segment{' '}
            <select
              name="educationSegment"
              value={segment}
              onChange={(event) => setSegment(event.target.value as EducationSegment)}
            >
              <option value="HIGHER_EDUCATION">Higher education</option>
              <option value="K12">K-12</option>
            </select>
          </label>
          <label>
            Website{' '}
            <input
              name="website"
              placeholder="contoso.edu"
              value={website}
              onChange={(event) => setWebsite(event.target.value)}
            />
          </label>
        </>
      )}
      {kind === 'GOVERNMENT_COMMUNITY_CLOUD' && (
        <label>
          Validation code{' '}
          <select
            name="validationCode"
            value={validationCode}
            onChange={(event) => setValidationCode(event.target.value)}
          >
            <option value="">{codes.loading ? 'Loading codes…' : 'Pick a code'}</option>
            {codes.data?.gccValidationCodes.map((code) => (
              <option
                key={code.validationCode}
                value={code.validationCode}
                disabled={!code.isUsable}
              >
                {code.validationCode} — {code.organizationName ?? 'unknown organisation'} (
                {code.remainingCreates ?? '?'} left)
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="submit"
        disabled={
          outcome.loading || (kind === 'GOVERNMENT_COMMUNITY_CLOUD' && validationCode === '')
        }
      >
        Add
      </button>
      {payload?.qualification !== null && payload?.qualification !== undefined && (
        <p data-testid="mutation-result">
          Added {payload.qualification.qualification} (
          {payload.qualification.vettingStatus ?? 'not vetted'})
        </p>
      )}
      {payload?.errors.map((e) => (
        <p className="error" data-testid="mutation-error" key={e.code}>
          {e.code}: {e.message}
        </p>
      ))}
      {outcome.error?.graphQLErrors.map((e) => (
        <p className="error" data-testid="mutation-error" key={e.message}>
          {e.message}
        </p>
      ))}
      {outcome.error?.networkError !== null && outcome.error?.networkError !== undefined && (
        <p className="error" data-testid="mutation-error">
          {outcome.error.networkError.message}
        </p>
      )}
    </form>
  );
}
