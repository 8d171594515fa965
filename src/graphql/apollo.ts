import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { Kind, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Config } from '../config';
import type { RequestContext } from './context';
import { unauthenticated } from './errors';
import { limitOptions } from './limits';
import { buildAppSchema } from './schema';

/** Codes whose message is meant for the client; anything else is masked as INTERNAL_SERVER_ERROR. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Root fields an anonymous request may use: only `login` (and introspection where it is on). */
function anonymousAllowed(operation: OperationDefinitionNode, introspection: boolean): boolean {
  return operation.selectionSet.selections.every((selection) => {
    if (selection.kind !== Kind.FIELD) return false;
    const name = selection.name.value;
    if (name === '__typename') return true;
    if (introspection && (name === '__schema' || name === '__type')) return true;
    return operation.operation === 'mutation' && name === 'login';
  });
}

export function createApollo(
  config: Config,
  log: (message: string, error?: unknown) => void,
  schema: GraphQLSchema = buildAppSchema(),
): ApolloServer<RequestContext> {
  const introspection = config.env !== 'production';
  const authGate: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (!contextValue.account && (!operation || !anonymousAllowed(operation, introspection))) throw unauthenticated();
        },
      };
    },
  };
  const limits = limitOptions<RequestContext>(schema, config.env === 'production');
  return new ApolloServer<RequestContext>({
    schema,
    introspection,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Batches are checked by the HTTP layer first (size, no login): see limits.batchProblem.
    allowBatchedHttpRequests: true,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // HTTP caching hints are useless for per-account answers, and cost a hook on every field.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      authGate,
      ...limits.plugins,
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      let code = formatted.extensions?.code;
      // Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED, and graphql-js reports
      // its token limit as a syntax error ("more that N tokens", sic); both are size limits.
      const limitHit =
        formatted.extensions?.limit === true ||
        (code === 'GRAPHQL_PARSE_FAILED' && /more tha[nt] \d+ tokens/.test(formatted.message));
      if (limitHit) {
        code = 'QUERY_TOO_COMPLEX';
        formatted = { ...formatted, extensions: { ...formatted.extensions, code } };
      }
      if (typeof code === 'string' && CLIENT_CODES.has(code)) {
        const { stacktrace: _omit, http: _http, limit: _limit, ...extensions } = formatted.extensions ?? {};
        return { ...formatted, extensions };
      }
      log('unexpected error while executing a request', error);
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
}
