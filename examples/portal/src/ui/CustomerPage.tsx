import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react/index.js';
import type { GraphQLFormattedError } from 'graphql';
import { useState } from 'react';
import { resultErrors } from '../apollo/result-errors.js';
import { CustomerPage as CustomerPageQuery, CustomerVetting } from '../operations.js';
import { AddQualificationForm } from './AddQualificationForm.js';
import { QualificationTable } from './QualificationTable.js';

/** One customer: its qualifications as of a time, kept up to date by the subscription. */
export function CustomerPage({ id }: { readonly id: string }) {
  const client = useApolloClient();
  const { data, error, loading } = useQuery(CustomerPageQuery, {
    variables: { id },
    errorPolicy: 'all',
  });
  // Each event is the Customer entity: the cache merges it by id, and the query above re-renders.
  const live = useSubscription(CustomerVetting, { variables: { ids: [id] } });
  const [refreshing, setRefreshing] = useState(false);
  const [refreshErrors, setRefreshErrors] = useState<readonly GraphQLFormattedError[]>([]);

  const refresh = () => {
    setRefreshing(true);
    // `no-cache` makes the gateway read Partner Center again instead of answering from its cache.
    client
      .query({
        query: CustomerPageQuery,
        variables: { id },
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
        context: { headers: { 'cache-control': 'no-cache' } },
      })
      .then((result) => setRefreshErrors(resultErrors(result)))
      .catch((failure: unknown) => setRefreshErrors([{ message: String(failure) }]))
      .finally(() => setRefreshing(false));
  };

  const customer = data?.customer;
  const errors = [...(error?.graphQLErrors ?? []), ...refreshErrors];
  if (customer === undefined && loading) return <p>Loading…</p>;
  if (customer === null || customer === undefined) {
    return (
      <p data-testid="customer-missing">
        {errors[0]?.message ?? error?.message ?? 'Partner Center does not know this customer.'}
      </p>
    );
  }
  return (
    <article data-route-id={id}>
      <h2 data-testid="customer-name">{customer.companyName ?? customer.id}</h2>
      <p>
        <code data-testid="customer-id">{customer.id}</code> · {customer.domain} ·{' '}
        {customer.relationshipToPartner}
      </p>
      {customer.qualificationsStale === true && (
        <p className="banner" data-testid="stale-banner">
          Partner Center did not answer just now: this is an older answer.
        </p>
      )}
      <p>
        <span data-testid="read-at" data-read-at={customer.qualificationsReadAt ?? ''}>
          As of{' '}
          {customer.qualificationsReadAt === null || customer.qualificationsReadAt === undefined
            ? '—'
            : new Date(customer.qualificationsReadAt).toLocaleString()}
        </span>{' '}
        <button type="button" onClick={refresh} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>{' '}
        <small data-testid="live-status">
          {live.error === undefined ? (live.loading ? 'connecting…' : 'live') : live.error.message}
        </small>
      </p>
      {customer.qualifications === null || customer.qualifications === undefined ? (
        <p className="error" data-testid="qualifications-error">
          {errors.find((e) => e.path?.includes('qualifications'))?.message ??
            'The qualifications could not be read.'}
        </p>
      ) : (
        <QualificationTable qualifications={customer.qualifications} />
      )}
      <AddQualificationForm customerId={customer.id} />
    </article>
  );
}
