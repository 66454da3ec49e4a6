import { describe, expect, it } from 'vitest';
import { appScope, userScope, withLocale } from '../../src/cache/scope.js';

describe('cache scopes', () => {
  it('name a caller by a hash of the whole Authorization value, never the token', () => {
    const token = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJ0ZW5hbnQifQ.c2ln';
    const scope = userScope(token);

    expect(scope).toMatch(/^u\.[0-9a-f]{64}$/);
    expect(scope).not.toContain('eyJ');
    expect(userScope(token)).toBe(scope);
    // Same claims, another signature: another caller as far as the gateway can tell.
    expect(userScope(`${token}x`)).not.toBe(scope);
  });

  it('give every caller of one app identity the same scope, apart from user scopes', () => {
    const scope = appScope('contoso.onmicrosoft.com', 'Client-Id');

    expect(scope).toMatch(/^a\.[0-9a-f]{64}$/);
    expect(appScope('CONTOSO.onmicrosoft.com', 'client-id')).toBe(scope);
    expect(appScope('contoso.onmicrosoft.com', 'other-client')).not.toBe(scope);
  });

  it('narrow a scope by the caller’s locale', () => {
    const scope = userScope('Bearer t');

    expect(withLocale(scope, undefined)).toBe(scope);
    expect(withLocale(scope, 'de-DE')).toBe(`${scope}.de-de`);
  });
});
