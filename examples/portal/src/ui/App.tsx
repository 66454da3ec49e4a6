import { CustomerPage } from './CustomerPage.js';
import { DirectorySearch } from './DirectorySearch.js';
import { useHashRoute } from './use-hash-route.js';

export function App({ gatewayUrl }: { readonly gatewayUrl: string }) {
  const route = useHashRoute();
  return (
    <>
      <header>
        <h1>
          <a href="#/">Partner portal</a>
        </h1>
        <small data-testid="gateway-url">{gatewayUrl}</small>
      </header>
      <main>
        {route.page === 'customer' ? <CustomerPage id={route.id} /> : <DirectorySearch />}
      </main>
    </>
  );
}
