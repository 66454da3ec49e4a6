import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { variablesTheConfigReads } from '../helpers/config.js';

/** The variable names in the first column of the README's configuration table. */
function documentedVariables(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
  );
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) =>
      [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(
        (match) => match[1] ?? '',
      ),
    );
}

it("documents in the README's configuration table exactly the variables the configuration reads", () => {
  const documented = documentedVariables();

  expect(documented.length).toBeGreaterThan(30);
  expect([...new Set(documented)].sort()).toEqual([...variablesTheConfigReads()].sort());
});
