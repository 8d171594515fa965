import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  getNamedType,
  parse,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { BoundedMap } from './bounded-map';
import { DEFAULT_PAGE_SIZE } from './connection';
import { codedError } from './errors';

/**
 * Limits against abusive queries (OWASP GraphQL cheat sheet, graphql-cop). Each rejection is a
 * QUERY_TOO_COMPLEX (or BAD_REQUEST for batches) error before anything runs.
 */
export const LIMITS = {
  /** Nesting of fields, counted from the root field. */
  maxDepth: 12,
  /** Aliases in one operation (fragments counted where they are spread), `__typename` included. */
  maxAliases: 15,
  /** Directives in one operation (fragments counted where they are spread), or in the whole document. */
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

/**
 * Reports each distinct validation error once, and nothing more once a limit has refused the
 * document. graphql-js reports some errors per occurrence (`__typename @aa @aa …` gives one
 * "Unknown directive" per `@aa`), which both amplifies the work of an abusive document and is what
 * graphql-cop flags as directive overloading. Every rule of the validation shares one context,
 * and all rules are created before the document is visited, so wrapping its reportError here
 * covers graphql-js's own rules as well as ours and armor's.
 */
export function distinctErrorsRule(): ValidationRule {
  return (context: ValidationContext) => {
    const report = context.reportError.bind(context);
    const seen = new Set<string>();
    let refused = false;
    context.reportError = (error: GraphQLError) => {
      const limit = error.extensions?.limit === true;
      if ((refused && !limit) || seen.has(error.message)) return;
      seen.add(error.message);
      refused ||= limit;
      report(error);
    };
    return {};
  };
}

/**
 * Counts nodes of a document: the most of any operation with its fragments counted wherever
 * they are spread, or of the whole text if that is more (unused fragments, other operations).
 */
function countNodes(document: DocumentNode, counts: (node: ASTNode) => number): number {
  const ownOf = (node: ASTNode) => {
    let count = 0;
    const spreads: string[] = [];
    visit(node, {
      enter(child) {
        count += counts(child);
        if (child.kind === Kind.FRAGMENT_SPREAD) spreads.push(child.name.value);
      },
    });
    return { count, spreads };
  };
  const fragments = new Map<string, { count: number; spreads: string[] }>();
  const operations: { count: number; spreads: string[] }[] = [];
  let text = 0;
  for (const definition of document.definitions) {
    const own = ownOf(definition);
    text += own.count;
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(own);
    else if (definition.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(definition.name.value)) {
      fragments.set(definition.name.value, own);
    }
  }
  // Memoised per fragment; a cycle (refused by NoFragmentCycles anyway) is counted once.
  const expanded = new Map<string, number>();
  const withSpreads = ({ count, spreads }: { count: number; spreads: string[] }): number =>
    spreads.reduce((sum, name) => sum + expand(name), count);
  const expand = (name: string): number => {
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    if (!expanded.has(name)) {
      expanded.set(name, fragment.count);
      expanded.set(name, withSpreads(fragment));
    }
    return expanded.get(name)!;
  };
  return Math.max(text, ...operations.map(withSpreads));
}

/**
 * Refuses documents with too many aliases or directives, once each, before anything else is
 * looked at (Document is the first node visited). Every alias counts, `__typename` included
 * (armor's maxAliases lets `__typename` aliases through: 101 of them are still 101 answers).
 */
export function documentLimitsRule(limits: { maxAliases: number; maxDirectives: number }): ValidationRule {
  return (context: ValidationContext) => ({
    Document(document) {
      const aliases = countNodes(document, (node) => (node.kind === Kind.FIELD && node.alias ? 1 : 0));
      if (aliases > limits.maxAliases) {
        context.reportError(tooComplex(`The query has ${aliases} aliases; at most ${limits.maxAliases} are allowed.`));
      }
      const directives = countNodes(document, (node) => (node.kind === Kind.DIRECTIVE ? 1 : 0));
      if (directives > limits.maxDirectives) {
        context.reportError(tooComplex(`The query has ${directives} directives; at most ${limits.maxDirectives} are allowed.`));
      }
    },
  });
}

/** Connections cost what one page of them costs: children × `first` (default page size). */
const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (getNamedType(field.type).name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + Math.max(first, 1) * childComplexity;
  }
  return undefined;
};

/**
 * The variables a document's estimate depends on: those inside a `first` argument (the only
 * argument the estimators read) or a directive (`@skip`/`@include` decide what is counted).
 */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  visit(document, {
    Argument(argument) {
      if (argument.name.value === 'first') collect(argument.value);
    },
    Directive(directive) {
      collect(directive);
      return false;
    },
  });
  return [...names].sort();
}

/** Estimates remembered per document: what a document's estimate depends on, and the estimates by those values. */
interface KnownCosts {
  variables: string[];
  costs: BoundedMap<string, number>;
}

/** Estimates kept per document and values that matter to it; a few dozen per document are plenty. */
const COSTS_PER_DOCUMENT = 32;

/**
 * Estimates the cost of the resolved operation and refuses it above LIMITS.maxCost.
 *
 * The estimate walks the whole document with its types, which cost 5 % of a member read; it
 * depends only on the document, the operation and the values of the variables in `first` and
 * in directives, so it is remembered by those (Apollo hands the same document object to every
 * request with the same text). An estimate that failed is not remembered.
 */
function costPlugin<T extends object>(schema: GraphQLSchema): ApolloServerPlugin<T> {
  const known = new WeakMap<DocumentNode, KnownCosts>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let entry = known.get(document);
          if (!entry) known.set(document, (entry = { variables: costVariables(document), costs: new BoundedMap(COSTS_PER_DOCUMENT) }));
          const variables = request.variables ?? {};
          const key = JSON.stringify([request.operationName ?? null, ...entry.variables.map((name) => (Object.hasOwn(variables, name) ? variables[name] : '\u0000unset'))]);
          let cost = entry.costs.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({
                schema,
                query: document,
                operationName: request.operationName,
                variables,
                estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
              });
            } catch (error) {
              // The estimate reads the variables before execution does; a bad variable is the client's mistake.
              throw codedError('BAD_USER_INPUT', (error as Error).message, { http: { status: 400 } });
            }
            entry.costs.set(key, cost);
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

/**
 * Apollo options and plugins carrying the limits. Suggestions ("Did you mean …") are hidden in
 * production by createApollo's formatError (one rule for every kind of message), not here.
 */
export function limitOptions<T extends object>(schema: GraphQLSchema) {
  const reject = [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(tooComplex(error.message))];
  const armor = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, propagateOnRejection: false, onReject: reject },
    // Aliases and directives are counted by documentLimitsRule (every alias, reported once).
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
    // Tokens are limited by graphql-js's own parser option; cost by costPlugin (it knows `first`).
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: [
      distinctErrorsRule(),
      documentLimitsRule(LIMITS),
      ...armor.validationRules,
      fieldRepeatRule(LIMITS.maxFieldRepeats),
    ],
    plugins: [...(armor.plugins as ApolloServerPlugin<T>[]), costPlugin<T>(schema)],
  };
}

/**
 * Checks a batched HTTP request before it runs: at most LIMITS.maxBatch operations, and no
 * `login` among them (a batch would multiply password guesses past the rate limit). Every entry
 * must carry its query text: one that names its query otherwise (a persisted-query hash) could
 * hide a `login` from this check.
 * Returns an error message, or null when the batch may run.
 */
export function batchProblem(body: unknown[]): string | null {
  if (body.length > LIMITS.maxBatch) return `A batch may hold at most ${LIMITS.maxBatch} operations.`;
  for (const entry of body) {
    const query = (entry as { query?: unknown } | null)?.query;
    if (typeof query !== 'string' || query.trim() === '') return 'Each operation of a batch must carry its query text.';
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
