import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/graphql/errors.js';

/** The codes in the first column of the closed table in docs/errors.md. */
function documentedCodes(): string[] {
  return readFileSync('docs/errors.md', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) =>
      [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z_]+)`/g)].map((match) => match[1] ?? ''),
    );
}

it('documents in docs/errors.md exactly the closed table of codes the gateway answers with', () => {
  const documented = documentedCodes();

  expect(documented).toHaveLength(new Set(documented).size);
  expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
});
