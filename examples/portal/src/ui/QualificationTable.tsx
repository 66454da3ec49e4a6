import type { CustomerQualificationsFieldsFragment } from '../gql/graphql.js';

type Qualifications = NonNullable<CustomerQualificationsFieldsFragment['qualifications']>;

export function QualificationTable({
  qualifications,
}: {
  readonly qualifications: Qualifications;
}) {
  if (qualifications.length === 0) return <p data-testid="no-qualifications">No qualifications.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Qualification</th>
          <th>Vetting</th>
          <th>Reason</th>
          <th>Requested</th>
        </tr>
      </thead>
      <tbody>
        {qualifications.map((q) => (
          <tr
            data-testid="qualification-row"
            data-qualification={q.qualification}
            key={q.rawQualification}
          >
            <td>{q.qualification === 'OTHER' ? q.rawQualification : q.qualification}</td>
            <td data-testid="vetting-status">
              {q.vettingStatus === 'OTHER' ? q.rawVettingStatus : (q.vettingStatus ?? 'not vetted')}
            </td>
            <td>{q.vettingReason}</td>
            <td>
              {q.vettingCreatedDate === null || q.vettingCreatedDate === undefined
                ? ''
                : new Date(q.vettingCreatedDate).toLocaleString()}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
