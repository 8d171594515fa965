import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  getNamedType,
  parse,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './connection';
import { codedError } from './errors';

/**
 * Limits against abusive queries (OWASP GraphQL cheat sheet, graphql-cop). Each rejection is a
 * QUERY_TOO_COMPLEX (or BAD_REQUEST for batches) error before anything runs.
 */
export const LIMITS = {
  /** Nesting of fields, counted from the root field. */
  maxDepth: 12,
  /** Aliases in one operation. */
  maxAliases: 15,
  /** Directives in one operation. */
  maxDirectives: 10,
  /** Lexical tokens in one document. */
  maxTokens: 3000,
  /** The same field (response key) repeated within one selection set. */
  maxFieldRepeats: 3,
  /** Estimated cost: one per field, connections multiply what is inside by `first`. */
  maxCost: 25_000,
  /** Operations in one batched HTTP request (login never batched). */
  maxBatch: 5,
} as const;

/** `limit: true` survives Apollo's relabelling of validation errors; formatError turns it back into the code. */
function tooComplex(message: string): GraphQLError {
  return codedError('QUERY_TOO_COMPLEX', message, { limit: true });
}

/** Rejects `{ a a a a … }`: the same field many times in one selection set (graphql-cop "field duplication"). */
export function fieldRepeatRule(max: number): ValidationRule {
  return (context: ValidationContext) => {
    const check = (selectionSet: SelectionSetNode) => {
      const counts = new Map<string, number>();
      for (const selection of selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const key = selection.alias?.value ?? selection.name.value;
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        if (count === max + 1) {
          context.reportError(tooComplex(`Field "${key}" is repeated more than ${max} times in one selection.`));
        }
      }
    };
    return { SelectionSet: check };
  };
}

/** Connections cost what one page of them costs: children × `first` (default page size). */
const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (getNamedType(field.type).name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + Math.max(first, 1) * childComplexity;
  }
  return undefined;
};

/** Estimates the cost of the resolved operation and refuses it above LIMITS.maxCost. */
function costPlugin<T extends object>(schema: GraphQLSchema): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName,
              variables: request.variables ?? {},
              estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // The estimate reads the variables before execution does; a bad variable is the client's mistake.
            throw codedError('BAD_USER_INPUT', (error as Error).message, { http: { status: 400 } });
          }
          if (cost > LIMITS.maxCost) {
            throw codedError('QUERY_TOO_COMPLEX', `The query's estimated cost ${cost} exceeds ${LIMITS.maxCost}; ask for smaller pages.`, {
              http: { status: 400 },
            });
          }
        },
      };
    },
  };
}

/** Apollo options and plugins carrying the limits; field suggestions are hidden in production. */
export function limitOptions<T extends object>(schema: GraphQLSchema, production: boolean) {
  const reject = [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(tooComplex(error.message))];
  const armor = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, propagateOnRejection: false, onReject: reject },
    maxAliases: { n: LIMITS.maxAliases, propagateOnRejection: false, onReject: reject },
    maxDirectives: { n: LIMITS.maxDirectives, propagateOnRejection: false, onReject: reject },
    // Tokens are limited by graphql-js's own parser option; cost by costPlugin (it knows `first`).
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  return {
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: [...armor.validationRules, fieldRepeatRule(LIMITS.maxFieldRepeats)],
    plugins: [...(armor.plugins as ApolloServerPlugin<T>[]), costPlugin<T>(schema)],
  };
}

/**
 * Checks a batched HTTP request before it runs: at most LIMITS.maxBatch operations, and no
 * `login` among them (a batch would multiply password guesses past the rate limit).
 * Returns an error message, or null when the batch may run.
 */
export function batchProblem(body: unknown[]): string | null {
  if (body.length > LIMITS.maxBatch) return `A batch may hold at most ${LIMITS.maxBatch} operations.`;
  for (const entry of body) {
    const query = (entry as { query?: unknown })?.query;
    if (typeof query !== 'string') continue;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: LIMITS.maxTokens });
    } catch {
      continue; // Apollo reports the syntax error for this entry
    }
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'mutation') continue;
      const loginOrHidden = definition.selectionSet.selections.some(
        (s) => s.kind !== Kind.FIELD || s.name.value === 'login',
      );
      if (loginOrHidden) return 'login cannot be batched; send it alone.';
    }
  }
  return null;
}
