import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
const url = process.argv[2];
const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer x' }, retryAttempts: 0 });
const started = Date.now();
let n = 0;
client.subscribe(
  { query: 'subscription { customerQualificationsChanged(ids: ["10000000-0000-4000-8000-000000000001","10000000-0000-4000-8000-000000000002","10000000-0000-4000-8000-000000000099"]) { id companyName knownToPartnerCenter qualificationsReadAt qualifications { qualification vettingStatus } } }' },
  { next: (v) => { console.log(Date.now() - started, JSON.stringify(v)); if (++n >= 4) process.exit(0); }, error: (e) => { console.log('error', e instanceof Error ? e.message : JSON.stringify(e)); process.exit(1); }, complete: () => console.log('complete') },
);
setTimeout(() => { console.log('timeout'); process.exit(0); }, 20000);
