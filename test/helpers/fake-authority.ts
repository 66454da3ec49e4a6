import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { generate } from 'selfsigned';
import { Agent } from 'undici';

export interface TokenRequest {
  readonly tenant: string;
  readonly form: URLSearchParams;
}

export interface FakeAuthority {
  /** `https://127.0.0.1:PORT` */
  readonly url: URL;
  /** Trusts the authority's self-signed certificate, and nothing is fetched beyond loopback. */
  readonly dispatcher: Agent;
  /** Every token request, in order. */
  readonly tokenRequests: TokenRequest[];
  /** What the token endpoint answers next: a token (default), a 500, or an `invalid_client`. */
  mode: 'ok' | 'error' | 'refuse';
  /** Lifetime of the tokens it issues. */
  expiresIn: number;
  /** The inbound JWKS URL, with one RS256 signing key. */
  readonly jwksUrl: URL;
  /** Signs a caller JWT with the JWKS key (or another key, to test a wrong signature). */
  sign(claims: {
    iss: string;
    aud: string;
    expiresIn?: string;
    otherKey?: boolean;
  }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A Microsoft Entra ID stand-in on HTTPS loopback, with a certificate made for this run: OpenID
 * metadata, a client-credentials token endpoint that counts its requests, and a JWKS for caller
 * tokens. Nothing leaves the machine.
 */
export async function startFakeAuthority(): Promise<FakeAuthority> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'inbound-1', alg: 'RS256', use: 'sig' };
  const tokenRequests: TokenRequest[] = [];

  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', authority.url);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const metadata = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
      if (metadata !== null) {
        const base = new URL(`/${metadata[1] ?? ''}`, authority.url).href;
        send(200, {
          issuer: `${base}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: new URL('/keys', authority.url).href,
          response_types_supported: ['code', 'token'],
        });
        return;
      }
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (token !== null && req.method === 'POST') {
        tokenRequests.push({
          tenant: token[1] ?? '',
          form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        });
        // MSAL holds back after a 5xx for Retry-After (60 s without one).
        if (authority.mode === 'error') {
          return send(500, { error: 'temporarily_unavailable' }, { 'retry-after': '1' });
        }
        if (authority.mode === 'refuse') {
          return send(401, {
            error: 'invalid_client',
            error_description: 'AADSTS7000215: Invalid client secret.',
          });
        }
        send(200, {
          token_type: 'Bearer',
          expires_in: authority.expiresIn,
          ext_expires_in: authority.expiresIn,
          access_token: `app-token-${tokenRequests.length}`,
        });
        return;
      }
      if (url.pathname === '/keys') return send(200, { keys: [jwk] });
      send(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const authority: FakeAuthority = {
    url: new URL(`https://127.0.0.1:${port}`),
    dispatcher: new Agent({ connect: { ca: pems.cert } }),
    tokenRequests,
    mode: 'ok',
    expiresIn: 3600,
    jwksUrl: new URL(`https://127.0.0.1:${port}/keys`),
    async sign({ iss, aud, expiresIn = '5m', otherKey = false }) {
      return new SignJWT({ sub: 'portal-user' })
        .setProtectedHeader({ alg: 'RS256', kid: 'inbound-1' })
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(otherKey ? other.privateKey : privateKey);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await authority.dispatcher.close();
    },
  };
  return authority;
}

/** A PEM file with a private key and its certificate, as AZURE_CLIENT_CERTIFICATE_PATH takes. */
export async function clientCertificatePem(): Promise<string> {
  const pems = await generate([{ name: 'commonName', value: 'gateway-client' }], { keySize: 2048 });
  return `${pems.private}\n${pems.cert}`;
}
