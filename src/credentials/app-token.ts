import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfidentialClientApplication, ServerError, type Configuration } from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import type { PartnerCenterAuth } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { CredentialsError } from './credentials-error.js';
import { undiciNetworkModule } from './msal-network.js';

type AppAuth = Extract<PartnerCenterAuth, { mode: 'app' }>;

export interface AppTokenProvider {
  /** `Bearer <token>` for Partner Center: cached, renewed before expiry, one request at a time. */
  authorization(): Promise<string>;
  /** Whether a token has been had since start: until then the pod cannot serve at all. */
  hadToken(): boolean;
}

export interface AppTokenDeps {
  /** For the authority's HTTPS (tests pass one that trusts their own CA). */
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * App-only tokens from Microsoft Entra ID with @azure/msal-node's client-credentials flow. MSAL
 * keeps the token in memory and renews it ahead of expiry; concurrent callers share one request
 * in flight, so a burst of operations after expiry causes one token request, not a stampede.
 */
export async function createAppTokenProvider(
  auth: AppAuth,
  deps: AppTokenDeps,
): Promise<AppTokenProvider> {
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: auth.clientId,
      authority: new URL(auth.tenantId, auth.authorityHost).href,
      // The configured host is trusted as it is: no instance discovery against Microsoft's cloud.
      knownAuthorities: [auth.authorityHost.host],
      ...(await credential(auth)),
    },
    system: { networkClient: undiciNetworkModule(deps.dispatcher, deps.timeoutMs) },
  });
  let inFlight: Promise<string> | undefined;
  let hadToken = false;

  async function acquire(): Promise<string> {
    try {
      const result = await msal.acquireTokenByClientCredential({ scopes: [auth.scope] });
      if (result === null || result.accessToken === '') {
        throw new CredentialsError('unavailable', 'the authority returned no access token');
      }
      hadToken = true;
      return `Bearer ${result.accessToken}`;
    } catch (error) {
      const failure = classify(error);
      deps.logger.warn(
        { kind: failure.kind, err: failure.message },
        'could not get a Partner Center app token',
      );
      throw failure;
    }
  }

  return {
    authorization() {
      inFlight ??= acquire().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    hadToken: () => hadToken,
  };
}

async function credential(auth: AppAuth): Promise<Partial<Configuration['auth']>> {
  if (auth.credential.kind === 'secret') return { clientSecret: auth.credential.secret };
  let pem: string;
  try {
    pem = await readFile(auth.credential.path, 'utf8');
  } catch {
    throw new CredentialsError('unavailable', 'AZURE_CLIENT_CERTIFICATE_PATH cannot be read');
  }
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  const first = certificates?.[0];
  if (first === undefined) {
    throw new CredentialsError('unavailable', 'AZURE_CLIENT_CERTIFICATE_PATH holds no certificate');
  }
  return {
    clientCertificate: {
      thumbprintSha256: new X509Certificate(first).fingerprint256.replaceAll(':', ''),
      privateKey: createPrivateKey(pem).export({ format: 'pem', type: 'pkcs8' }).toString(),
      // Sending the chain lets Entra ID validate by subject name and issuer (SNI).
      x5c: certificates?.join('\n') ?? first,
    },
  };
}

function classify(error: unknown): CredentialsError {
  if (error instanceof CredentialsError) return error;
  // The authority answered and said no (bad secret, unknown client, wrong tenant).
  if (
    error instanceof ServerError &&
    /^(invalid_client|unauthorized_client|invalid_request|invalid_grant|invalid_scope)$/.test(
      error.errorCode,
    )
  ) {
    return new CredentialsError(
      'refused',
      `the authority refused the app credentials: ${error.errorCode}`,
      { cause: error },
    );
  }
  const code = error instanceof Error && 'errorCode' in error ? String(error.errorCode) : 'unknown';
  return new CredentialsError(
    'unavailable',
    `the authority could not be reached or failed: ${code}`,
    { cause: error },
  );
}
