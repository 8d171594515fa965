import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLError,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { MAX_PAGE_SIZE } from './connection';
import { codedError } from './errors';
import { MAX_UNIT_CODE_LENGTH } from './ids';

/**
 * Limits of every input the API takes, checked in one place before anything runs (see
 * inputLimitsPlugin): no text PostgreSQL cannot store (NUL, lone UTF-16 surrogates), no text
 * longer than a real form would hold, no number outside the range of its meaning.
 *
 * A String or ID input field declares its longest value with @MaxChars, an Int or Float one its
 * range with @Range; a String or ID without @MaxChars gets DEFAULT_MAX_LENGTH. Arguments take
 * their limits from ARGUMENT_LIMITS by name. applyInputLimits puts the declared limits in the
 * input fields' `extensions` (TypeGraphQL would drop them on the fields an input class
 * inherits) and writes every limit into the description, so the schema states it.
 */

/** Longest String or ID input, in characters, where no other limit is declared. */
export const DEFAULT_MAX_LENGTH = 200;

/** Longest value of a query-string parameter of the HTTP endpoints (queryParamsProblem). */
export const MAX_QUERY_PARAM_LENGTH = 200;

export interface InputLimit {
  /** Longest text, in characters (Unicode code points). */
  maxLength?: number;
  /** Smallest and largest number. */
  min?: number;
  max?: number;
}

/** Limits declared with @MaxChars and @Range, by class and property. */
const DECLARED = new Map<Function, Map<string, InputLimit>>();

function declare(limit: InputLimit): PropertyDecorator {
  return (prototype, property) => {
    const owner = prototype.constructor;
    let fields = DECLARED.get(owner);
    if (!fields) DECLARED.set(owner, (fields = new Map()));
    fields.set(String(property), limit);
  };
}

/** The longest text a String or ID input field (or each item of a list of them) accepts, in characters. */
export function MaxChars(maxLength: number): PropertyDecorator {
  return declare({ maxLength });
}

/** The range an Int or Float input field accepts, bounds included. */
export function Range(min: number, max: number): PropertyDecorator {
  return declare({ min, max });
}

/** The limit declared on the class's property, or on the same property of a class it extends. */
function declaredLimit(owner: Function | undefined, property: string): InputLimit | undefined {
  for (let c = owner; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const limit = DECLARED.get(c)?.get(property);
    if (limit) return limit;
  }
  return undefined;
}

/** Limits of arguments, by argument name: the same name means the same thing across the schema. */
export const ARGUMENT_LIMITS: Readonly<Record<string, InputLimit>> = {
  /** Page size: connection.ts checks it too. */
  first: { min: 0, max: MAX_PAGE_SIZE },
  /** Cursors are ours; one of a list ordered by name carries the name. */
  after: { maxLength: 2000 },
  /** Unit codes, e.g. DN.HAICHAU.THACHTHANG.CB01. */
  code: { maxLength: MAX_UNIT_CODE_LENGTH },
  partyCardNumber: { maxLength: 30 },
  /** Days ahead of a list of what falls due (posts due for reappointment): ten years at most. */
  withinDays: { min: 0, max: 3650 },
  /** A row number of an imported file (imports: at most 200,000 data rows). */
  afterRow: { min: 0, max: 1_000_000 },
  /** Why, as every reason input field (kept in the history). */
  reason: { maxLength: 2000 },
};

const TEXT_SCALARS = new Set(['String', 'ID']);
const NUMBER_SCALARS = new Set(['Int', 'Float']);

/**
 * The limit of an argument or input field: a maximum length for String and ID (the default when
 * none is declared), a range for Int and Float (null when none is declared), null for other types.
 */
export function limitOf(def: GraphQLArgument | GraphQLInputField, isArgument: boolean): InputLimit | null {
  const named = getNamedType(def.type);
  const declared = { ...(isArgument ? ARGUMENT_LIMITS[def.name] : undefined), ...(def.extensions as InputLimit | undefined) };
  if (TEXT_SCALARS.has(named.name)) return { maxLength: declared.maxLength ?? DEFAULT_MAX_LENGTH };
  if (NUMBER_SCALARS.has(named.name)) {
    return typeof declared.min === 'number' && typeof declared.max === 'number' ? { min: declared.min, max: declared.max } : null;
  }
  return null;
}

/** The sentence of a description that states a limit. */
export function limitSentence(limit: InputLimit): string {
  return limit.maxLength !== undefined ? `At most ${limit.maxLength} characters.` : `Between ${limit.min} and ${limit.max}.`;
}

/** Every argument and input field of the schema's own types, with whether it is an argument. */
export function inputDefinitions(schema: GraphQLSchema): { coordinate: string; def: GraphQLArgument | GraphQLInputField; isArgument: boolean }[] {
  const defs: { coordinate: string; def: GraphQLArgument | GraphQLInputField; isArgument: boolean }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) defs.push({ coordinate: `${type.name}.${field.name}`, def: field, isArgument: false });
    } else if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) defs.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, def: arg, isArgument: true });
      }
    }
  }
  return defs;
}

/**
 * Puts the limits declared on the input classes in their fields' `extensions`, and appends each
 * input's limit to its description (unless it already states it). Returns the schema.
 */
export function applyInputLimits(schema: GraphQLSchema): GraphQLSchema {
  const classes = new Map<string, Function>(getMetadataStorage().inputTypes.map((t) => [t.name, t.target]));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const limit = declaredLimit(classes.get(type.name), field.name);
      if (limit) (field as { extensions: object }).extensions = { ...field.extensions, ...limit };
    }
  }
  for (const { def, isArgument } of inputDefinitions(schema)) {
    const limit = limitOf(def, isArgument);
    if (!limit || describesLimit(def.description, limit)) continue;
    (def as { description?: string | null }).description = def.description ? `${def.description} ${limitSentence(limit)}` : limitSentence(limit);
  }
  return schema;
}

/** True when the description states the limit: its sentence, or for a range "min to max". */
export function describesLimit(description: string | null | undefined, limit: InputLimit): boolean {
  if (!description) return false;
  if (description.includes(limitSentence(limit))) return true;
  return limit.min !== undefined && description.includes(`${limit.min} to ${limit.max}`);
}

export interface InputProblem {
  /** Path of the value at fault, e.g. `input.homeTown` or `search`. */
  argument: string;
  message: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be taken (NUL, lone surrogate, longer than maxLength), or null. */
export function textProblem(text: string, maxLength: number | undefined, name: string): string | null {
  if (text.includes('\u0000')) return `${name} must not contain the NUL character (\\u0000).`;
  if (LONE_SURROGATE.test(text)) return `${name} contains a lone UTF-16 surrogate, which is not text.`;
  if (maxLength !== undefined && text.length > maxLength) {
    // Counted in characters (code points): a character outside the BMP is two UTF-16 units.
    let length = 0;
    for (const _ of text) length++;
    if (length > maxLength) return `${name} must be at most ${maxLength} characters long (got ${length}).`;
  }
  return null;
}

function valueProblem(value: unknown, type: GraphQLInputType, limit: InputLimit | null, path: string): InputProblem | null {
  if (value === null || value === undefined) return null;
  if (isNonNullType(type)) return valueProblem(value, type.ofType, limit, path);
  if (isListType(type)) {
    // Input coercion takes a single value for a list of one.
    for (const item of Array.isArray(value) ? value : [value]) {
      const problem = valueProblem(item, type.ofType, limit, path);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return null; // coercion refuses it
    const fields = type.getFields();
    for (const [name, item] of Object.entries(value)) {
      const field = fields[name];
      if (!field) continue; // coercion refuses unknown fields
      const problem = valueProblem(item, field.type, limitOf(field, false), `${path}.${name}`);
      if (problem) return problem;
    }
    return null;
  }
  // A leaf: every string is checked for what PostgreSQL cannot store (enums and custom scalars
  // too), and its length where the type has a limit; numbers for their range.
  if (typeof value === 'string') {
    const message = textProblem(value, limit?.maxLength, path);
    return message ? { argument: path, message } : null;
  }
  if (typeof value === 'number' && limit?.min !== undefined && limit.max !== undefined && (value < limit.min || value > limit.max)) {
    return { argument: path, message: `${path} must be between ${limit.min} and ${limit.max}, got ${value}.` };
  }
  return null;
}

/** An argument of a document, with its definition in the schema. */
interface ArgumentUse {
  def: GraphQLArgument;
  limit: InputLimit | null;
  value: ValueNode;
}

/**
 * Every argument the operation passes (in its fields and in the fragments it could spread), with
 * its definition: found by walking the document with its types, which is the costly part of the
 * check, so it is done once per document and operation (Apollo hands the same document object to
 * every request with the same text).
 */
const argumentUses = new WeakMap<DocumentNode, Map<OperationDefinitionNode | null, ArgumentUse[]>>();

function argumentsOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode | null | undefined): ArgumentUse[] {
  let byOperation = argumentUses.get(document);
  if (!byOperation) argumentUses.set(document, (byOperation = new Map()));
  const known = byOperation.get(operation ?? null);
  if (known) return known;
  const uses: ArgumentUse[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition: (node) => (operation && node !== operation ? false : undefined),
      Argument: (node) => {
        const def = typeInfo.getArgument();
        // An unknown argument was refused by validation.
        if (def) uses.push({ def, limit: limitOf(def, true), value: node.value });
      },
    }),
  );
  byOperation.set(operation ?? null, uses);
  return uses;
}

/**
 * The first argument of the operation (literal or variable, at any depth of its input type)
 * that breaks a limit, or null. `variables` are the request's, as sent; the operation's own
 * variable defaults stand in for those not sent.
 */
export function inputProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): InputProblem | null {
  const values: Record<string, unknown> = {};
  for (const definition of operation?.variableDefinitions ?? []) {
    if (definition.defaultValue) values[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  Object.assign(values, variables ?? {});
  for (const { def, limit, value } of argumentsOf(schema, document, operation)) {
    const problem = valueProblem(valueFromASTUntyped(value, values), def.type, limit, def.name);
    if (problem) return problem;
  }
  return null;
}

/** The problem as the error the client gets: BAD_USER_INPUT naming the argument, HTTP 400. */
export function inputProblemError(problem: InputProblem): GraphQLError {
  return codedError('BAD_USER_INPUT', problem.message, { argument: problem.argument, http: { status: 400 } });
}

/** Checks every argument of the operation against its limits before it runs (inputProblem). */
export function inputLimitsPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          const problem = inputProblem(schema, document, operation, request.variables);
          if (problem) throw inputProblemError(problem);
        },
      };
    },
  };
}

/** The text with NUL and lone surrogates replaced by U+FFFD. */
function toText(text: string): string {
  return text.replace(/\u0000/g, '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/**
 * The same text check for the query string of an HTTP endpoint (the exports): no NUL, no lone
 * surrogate, at most MAX_QUERY_PARAM_LENGTH characters per name or value. The first problem, or null.
 */
export function queryParamsProblem(params: URLSearchParams): InputProblem | null {
  for (const [name, value] of params) {
    const nameProblem = textProblem(name, MAX_QUERY_PARAM_LENGTH, 'A parameter name');
    // The name itself is not echoed back as it came: it is what cannot be taken.
    if (nameProblem) return { argument: toText(name).slice(0, 50), message: nameProblem };
    const message = textProblem(value, MAX_QUERY_PARAM_LENGTH, name);
    if (message) return { argument: name, message };
  }
  return null;
}
