import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import {
  GraphQLError,
  Kind,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Config } from '../config';
import { isDatabaseUnavailable, isStatementTimeout, isTransactionConflict, isUnitOutsideItsLife } from '../database/availability';
import type { RequestContext } from '../access/context';
import { unauthenticated } from '../graphql/errors';
import { inputLimitsPlugin } from '../graphql/input-limits';
import { limitOptions } from '../graphql/limits';
import { buildAppSchema } from './schema';

/** Codes whose message is meant for the client; anything else is masked as INTERNAL_SERVER_ERROR. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const NAME = /[_A-Za-z][_0-9A-Za-z]*/g;

/** Names a client could learn from error messages: types, fields, arguments, enum values (not the spec's scalars). */
function schemaNames(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    names.add(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        names.add(field.name);
        for (const arg of 'args' in field ? field.args : []) names.add(arg.name);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
  }
  for (const directive of schema.getDirectives()) for (const arg of directive.args) names.add(arg.name);
  return names;
}

/**
 * Production messages about a client's mistakes tell nothing of the schema the client did not
 * write. One rule on the shape of the message, whatever graphql-js (or armor, or Apollo) said:
 * every suggestion ("Did you mean …?", of fields, arguments, types, enum values or inline
 * fragments) is removed, and in errors raised before execution (no `path`: parsing, validation,
 * variables) every quoted schema name that does not occur in the client's own query text is
 * replaced by "…". Errors raised by resolvers (with a `path`) are the application's own words.
 */
function hideSchemaHints(formatted: GraphQLFormattedError, error: unknown, names: Set<string>): GraphQLFormattedError {
  let message = formatted.message.replace(/\s*Did you mean\b[^?]*(\?|$)/gi, '');
  if (!formatted.path) {
    const sent = new Set((error instanceof GraphQLError ? error.source?.body : undefined)?.match(NAME) ?? []);
    message = message.replace(/"[^"]*"/g, (quoted) =>
      quoted.replace(NAME, (name) => (names.has(name) && !sent.has(name) ? '…' : name)),
    );
  }
  return message === formatted.message ? formatted : { ...formatted, message };
}

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
          // The schema has no subscriptions; graphql-js would fail at execution, answered as a 500.
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are not offered by this API; send a query.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
          }
        },
      };
    },
  };
  const limits = limitOptions<RequestContext>(schema);
  const production = config.env === 'production';
  const names = production ? schemaNames(schema) : new Set<string>();
  return new ApolloServer<RequestContext>({
    schema,
    introspection,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Batches are checked by the HTTP layer first (size, no login): see limits.batchProblem.
    allowBatchedHttpRequests: true,
    // No client of this API uses automatic persisted queries; a query sent by hash alone would
    // escape the batch check (which reads query text). Such requests get PERSISTED_QUERY_NOT_SUPPORTED.
    persistedQueries: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // HTTP caching hints are useless for per-account answers, and cost a hook on every field.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      authGate,
      inputLimitsPlugin<RequestContext>(),
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
        if (production) formatted = hideSchemaHints(formatted, error, names);
        return { ...formatted, extensions };
      }
      // Two transactions met (a deadlock over the same records, a serialization failure): the
      // statement was ended and the mutation's savepoint rolled back, so it wrote nothing.
      if (isTransactionConflict(error)) {
        return {
          message: 'This change met another one made to the same records at the same moment and was not written; send it again.',
          path: formatted.path,
          extensions: { code: 'CONFLICT' },
        };
      }
      if (isUnitOutsideItsLife(error)) {
        return {
          message: 'The unit did not exist on the date asked; its lineage names the units before and after it.',
          path: formatted.path,
          extensions: { code: 'BAD_USER_INPUT' },
        };
      }
      // The database away or a statement stopped by the API role's timeout: not a bug, so no
      // stack; the client is told to come back (an outage also fails the request's commit, which
      // the HTTP layer answers 503).
      if (isDatabaseUnavailable(error) || isStatementTimeout(error)) {
        const message = isStatementTimeout(error) ? 'The request took too long and was stopped; ask for less at once.' : 'The database is not available; try again shortly.';
        return { message, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
      }
      log('unexpected error while executing a request', error);
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
}
