import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { createSchema } from '../../src/graphql/schema.js';

// The schema exactly as the gateway serves it (what introspection of a running gateway shows,
// federation's `_entities`, `_Any`, `federation__*` and `link__*` included), built from the same
// `schema/` files and printed here: codegen:check needs no running gateway, and a client
// generated against a live gateway with this config gets the same types.
const config: CodegenConfig = {
  schema: printSchema(createSchema()),
  documents: ['examples/portal/src/**/*.{ts,tsx}', '!examples/portal/src/gql/**'],
  generates: {
    'examples/portal/src/gql/': {
      preset: 'client',
      config: {
        // NodeNext needs `.js` on relative imports.
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          // Federation's own scalars: a portal never sends or reads them, but strict scalars
          // refuse any scalar without a type.
          _Any: 'unknown',
          federation__FieldSet: 'string',
          federation__Scope: 'string',
          federation__Policy: 'string',
          federation__ContextFieldValue: 'string',
          link__Import: 'unknown',
        },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
