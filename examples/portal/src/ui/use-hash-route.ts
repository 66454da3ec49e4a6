import { useEffect, useState } from 'react';

export type Route =
  { readonly page: 'directory' } | { readonly page: 'customer'; readonly id: string };

function parse(hash: string): Route {
  const match = /^#\/customers\/([^/]+)$/.exec(hash);
  const id = match?.[1];
  return id === undefined
    ? { page: 'directory' }
    : { page: 'customer', id: decodeURIComponent(id) };
}

export function customerHref(id: string): string {
  return `#/customers/${encodeURIComponent(id)}`;
}

/** The page in the address's hash: a static host needs no rewrite rules, and Back works. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
