import type { CodegenConfig } from '@graphql-codegen/cli';

// A partner portal's typed operations, generated from the gateway's own SDL: a schema change
// that breaks them fails `npm run codegen:check` and the type check in CI.
const config: CodegenConfig = {
  schema: ['schema/**/*.graphql', 'examples/portal-client/federation.graphql'],
  documents: ['examples/portal-client/src/**/*.ts', '!examples/portal-client/src/gql/**'],
  generates: {
    'examples/portal-client/src/gql/': {
      preset: 'client',
      config: {
        // NodeNext needs `.js` on relative imports.
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', _FieldSet: 'string' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
