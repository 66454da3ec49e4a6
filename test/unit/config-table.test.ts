import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { variablesTheConfigReads } from '../helpers/config.js';

interface Row {
  readonly variables: string[];
  /** The default column when it is one literal value, such as `4000`; else undefined. */
  readonly literalDefault: string | undefined;
}

/** The rows of the configuration table in docs/configuration.md. */
function rows(): Row[] {
  return readFileSync('docs/configuration.md', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, names = '', defaults = ''] = line.split('|');
      return {
        variables: [...names.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] ?? ''),
        literalDefault: /^`([^`]+)`$/.exec(defaults.trim())?.[1],
      };
    });
}

it('documents in the configuration table exactly the variables the configuration reads', () => {
  const documented = rows().flatMap((row) => row.variables);

  expect(documented.length).toBeGreaterThan(30);
  expect([...new Set(documented)].sort()).toEqual([...variablesTheConfigReads()].sort());
});

// App mode's settings are read only in app mode, which needs its credentials and an inbound check.
const APP = {
  PARTNER_CENTER_AUTH: 'app',
  AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
  AZURE_CLIENT_ID: 'client',
  AZURE_CLIENT_SECRET: 'super-secret-value',
  ROUTER_SECRET: 'router-secret-0123456789',
};

it('gives every literal default of the table: setting it changes nothing', () => {
  // A default that names another variable (SHUTDOWN_GRACE_MS's) is checked below.
  const literal = rows().filter(
    (row) => row.literalDefault !== undefined && !/^[A-Z][A-Z0-9_]+$/.test(row.literalDefault),
  );
  const checked: string[] = [];
  for (const { variables, literalDefault = '' } of literal) {
    for (const name of variables) {
      if (name === 'PARTNER_CENTER_AUTH') continue; // `user` is checked by the user-mode base itself
      for (const base of [{}, APP]) {
        expect(
          loadConfig({ ...base, [name]: literalDefault }),
          `${name}=${literalDefault}`,
        ).toEqual(loadConfig(base));
      }
      checked.push(name);
    }
  }

  expect(checked).toEqual(
    expect.arrayContaining(['PORT', 'UPSTREAM_TIMEOUT_MS', 'WATCH_POLL_SECONDS']),
  );
  expect(checked.length).toBeGreaterThan(30);
  expect(loadConfig({ PARTNER_CENTER_AUTH: 'user' })).toEqual(loadConfig({}));
});

it('defaults SHUTDOWN_GRACE_MS to OPERATION_TIMEOUT_MS, as the table says', () => {
  expect(rows().find((row) => row.variables.includes('SHUTDOWN_GRACE_MS'))?.literalDefault).toBe(
    'OPERATION_TIMEOUT_MS',
  );
  expect(loadConfig({ OPERATION_TIMEOUT_MS: '5000' }).shutdownGraceMs).toBe(5000);
});

it('shows that a wrong default in the table would fail', () => {
  expect(loadConfig({ PORT: '4001' })).not.toEqual(loadConfig({}));
});

// The README links to the table instead of repeating it: a second table would drift.
it('keeps the configuration table out of the README', () => {
  const readme = readFileSync('README.md', 'utf8');

  expect(readme).toContain('](docs/configuration.md)');
  expect(readme).not.toMatch(/^\| `[A-Z][A-Z0-9_]+` +\|/m);
});
