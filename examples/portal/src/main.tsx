import { ApolloProvider } from '@apollo/client/react/index.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPortalClient } from './apollo/client.js';
import { resolveGatewayUrl } from './gateway-url.js';
import { App } from './ui/App.js';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

const gatewayUrl = await resolveGatewayUrl(window.location);
const client = createPortalClient({ gatewayUrl });

createRoot(root).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <App gatewayUrl={gatewayUrl} />
    </ApolloProvider>
  </StrictMode>,
);
