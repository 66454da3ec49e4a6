import { badUserInput } from '../graphql/errors.js';
import type { CustomerFilter } from '../partner-center/types.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Longer than any company name or domain prefix worth typing; keeps the filter URL small. */
const MAX_SEARCH_LENGTH = 256;

export interface DirectoryArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly companyNameStartsWith?: string | null | undefined;
  readonly domainStartsWith?: string | null | undefined;
}

/** What a page is bound to: its size and its search. */
export interface DirectorySearch {
  readonly size: number;
  readonly filter: CustomerFilter | undefined;
}

/** Whether `first` is a page size the directory serves (the budget counts only those). */
export function isPageSize(first: unknown): first is number {
  return (
    Number.isSafeInteger(first) && (first as number) >= 1 && (first as number) <= MAX_PAGE_SIZE
  );
}

/** Checks the arguments before anything is sent; an explicit null `first` means the default. */
export function directorySearch(args: DirectoryArgs): DirectorySearch {
  const size = args.first ?? DEFAULT_PAGE_SIZE;
  if (!isPageSize(size)) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, { argumentName: 'first' });
  }
  const name = nonEmpty(args.companyNameStartsWith);
  const domain = nonEmpty(args.domainStartsWith);
  if (name !== undefined && domain !== undefined) {
    throw badUserInput('Search by companyNameStartsWith or by domainStartsWith, not both.', {
      argumentName: 'domainStartsWith',
    });
  }
  const filter: CustomerFilter | undefined =
    name !== undefined
      ? { field: 'CompanyName', value: name }
      : domain !== undefined
        ? { field: 'Domain', value: domain }
        : undefined;
  if (filter !== undefined && filter.value.length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`A search text may be at most ${MAX_SEARCH_LENGTH} characters.`, {
      argumentName: filter.field === 'CompanyName' ? 'companyNameStartsWith' : 'domainStartsWith',
    });
  }
  return { size, filter };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}
