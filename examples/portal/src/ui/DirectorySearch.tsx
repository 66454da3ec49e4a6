import { useQuery } from '@apollo/client/react/index.js';
import type { GraphQLFormattedError } from 'graphql';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { resultErrors } from '../apollo/result-errors.js';
import { DirectoryPage } from '../operations.js';
import { errorsByCustomer, generalErrors } from './errors-by-customer.js';
import { customerHref } from './use-hash-route.js';

/** Rows per page: more than a screen, so the sentinel starts out of view. */
const PAGE_SIZE = 20;

/** The directory, searched by the start of the company name, read on as the list scrolls. */
export function DirectorySearch() {
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  // fetchMore's errors do not reach useQuery's `error`: kept here, per search.
  const [moreErrors, setMoreErrors] = useState<readonly GraphQLFormattedError[]>([]);
  const { data, error, fetchMore } = useQuery(DirectoryPage, {
    variables: { first: PAGE_SIZE, companyNameStartsWith: search === '' ? null : search },
    // A customer whose qualifications read failed stays in the page with the error beside it.
    errorPolicy: 'all',
  });
  const connection = data?.customerDirectory;
  const errors = [...(error?.graphQLErrors ?? []), ...moreErrors];
  const failed = errorsByCustomer(errors);

  // The cursor last read on from: each page is asked for once however often the sentinel shows,
  // and a stale callback of an earlier render cannot ask for a page twice.
  const requested = useRef<string | null | undefined>(undefined);
  const loadMore = useRef<() => void>(() => undefined);
  loadMore.current = () => {
    const pageInfo = connection?.pageInfo;
    if (pageInfo?.hasNextPage !== true) return;
    const after = pageInfo.endCursor ?? null;
    if (requested.current === after) return;
    requested.current = after;
    fetchMore({ variables: { after } })
      .then((result) => {
        const more = resultErrors(result);
        if (more.length > 0) setMoreErrors((before) => [...before, ...more]);
      })
      .catch((failure: unknown) => {
        // The next time the sentinel shows, this page is asked for again.
        requested.current = undefined;
        setMoreErrors((before) => [...before, { message: String(failure) }]);
      });
  };

  const sentinel = useRef<HTMLDivElement>(null);
  const rows = connection?.edges.length ?? 0;
  useEffect(() => {
    const element = sentinel.current;
    if (element === null) return;
    // Observed anew after each page: a page that does not fill the screen reads on at once.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) loadMore.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [rows, search]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMoreErrors([]);
    setSearch(draft.trim());
  };

  return (
    <section>
      <form onSubmit={submit} role="search">
        <input
          aria-label="Company name starts with"
          placeholder="Company name starts with…"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      {generalErrors(errors).map((message) => (
        <p className="error" key={message}>
          {message}
        </p>
      ))}
      {connection === undefined ? (
        <p>Loading…</p>
      ) : (
        <>
          <p data-testid="total-count">{connection.totalCount ?? '?'} customers</p>
          <ul>
            {connection.edges.map(({ cursor, node }) =>
              node === null || node === undefined ? null : (
                <li
                  className="row"
                  data-testid="customer-row"
                  data-customer-id={node.id}
                  key={cursor}
                >
                  <a href={customerHref(node.id)}>{node.companyName ?? node.id}</a>
                  <span>{node.domain}</span>
                  {node.isEducation === true && <span>Education</span>}
                  {(node.isEducation === null || node.isEducation === undefined) && (
                    <span className="error" data-testid="row-error">
                      {failed.get(node.id) ?? 'Qualifications could not be read.'}
                    </span>
                  )}
                </li>
              ),
            )}
          </ul>
          {connection.pageInfo.hasNextPage ? (
            <div className="sentinel" data-testid="load-more" ref={sentinel} />
          ) : (
            <p data-testid="end-of-directory">End of the directory.</p>
          )}
        </>
      )}
    </section>
  );
}
