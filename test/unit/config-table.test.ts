import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { variablesTheConfigReads } from '../helpers/config.js';

/** The variable names in the first column of the configuration table in docs/configuration.md. */
function documentedVariables(): string[] {
  const doc = readFileSync('docs/configuration.md', 'utf8');
  return doc
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) =>
      [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(
        (match) => match[1] ?? '',
      ),
    );
}

it('documents in the configuration table exactly the variables the configuration reads', () => {
  const documented = documentedVariables();

  expect(documented.length).toBeGreaterThan(30);
  expect([...new Set(documented)].sort()).toEqual([...variablesTheConfigReads()].sort());
});

// The README links to the table instead of repeating it: a second table would drift.
it('keeps the configuration table out of the README', () => {
  const readme = readFileSync('README.md', 'utf8');

  expect(readme).toContain('](docs/configuration.md)');
  expect(readme).not.toMatch(/^\| `[A-Z][A-Z0-9_]+` +\|/m);
});
