import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/**/*.graphql',
  generates: {
    'src/graphql/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        defaultScalarType: 'unknown',
        makeResolverTypeCallable: true,
        contextType: '../context.js#Context',
        scalars: {
          DateTime: { input: 'Date', output: 'Date | string' },
          _FieldSet: 'string',
        },
        mappers: {
          Customer: '../resolvers/models.js#CustomerModel',
          CustomerConnection: '../../directory/page.js#DirectoryPage',
          CustomerEdge: '../../directory/page.js#DirectoryEdge',
          CustomerQualification: '../../partner-center/types.js#QualificationRecord',
          GccValidationCode: '../../partner-center/types.js#ValidationCodeRecord',
          AddCustomerQualificationPayload: '../resolvers/models.js#AddCustomerQualificationOutcome',
        },
      },
    },
  },
};

export default config;
