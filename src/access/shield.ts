import {
  getNamedType,
  isAbstractType,
  isIntrospectionType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { applyMiddleware, type IMiddlewareFieldMap, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, deny, rule, shield, type IRule } from 'graphql-shield';
import { codedError, unauthenticated } from '../graphql/errors';
import { can, type Capability } from './capabilities';
import type { RequestContext } from './context';
import { PERMISSIONS, type Need } from './permissions';
import { Role } from './roles';

/**
 * graphql-shield enforces PERMISSIONS (permissions.ts), deny by default, with rules placed only
 * where they decide something.
 *
 * Every field of Query and Mutation gets its rule; a root field with no line falls to
 * `fallbackRule: deny`. Below the roots, a field gets a rule only when someone who can reach
 * its object might lack the field's need: `nationalId` (readSensitive) on a Member, which every
 * role with readRecords reaches, gets one; `fullName` (readRecords) does not, because nothing
 * hands out a Member to a caller without readRecords. Which callers can reach which type is
 * worked out from the schema and the table (`reachOf`), so the placement is derived, not
 * declared, and a field added without a line is reached by someone who lacks its (missing) need,
 * so it is wrapped and denied. `unguardedReads` checks the result role by role at build time.
 *
 * The rules depend only on the caller's role, never on the row; scope is decided by the data
 * layer and row-level security.
 */

/** What a field needs, from its line in PERMISSIONS; undefined: no line, so denied. */
export function needOf(typeName: string, fieldName: string): Need | undefined {
  const rule = PERMISSIONS[typeName];
  return typeof rule === 'string' ? rule : rule?.[fieldName];
}

/** Who may be asking: a role, or nobody signed in ('anonymous', only ever for `login`). */
type Caller = Role | 'anonymous';
const CALLERS: readonly Caller[] = ['anonymous', ...Object.values(Role)];

/** Whether a caller meets a need: the one permission check, as `can()` decides it. */
export function meets(caller: Caller, need: Need | undefined): boolean {
  if (need === undefined) return false;
  if (need === 'public') return true;
  if (caller === 'anonymous') return false;
  return need === 'signedIn' || can(caller, need);
}

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

function objectTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType => isObjectType(type) && !isIntrospectionType(type),
  );
}

/**
 * For every object type, the callers who can ever hold one of its values: everyone holds the
 * roots; a caller holds a T when it holds the object of a field returning T (directly, in a list
 * or through a union or interface) and meets that field's need. The least fixed point, so a type
 * reached by no field is held by nobody.
 */
export function reachOf(schema: GraphQLSchema): Map<string, Set<Caller>> {
  const reach = new Map<string, Set<Caller>>();
  for (const type of objectTypes(schema)) reach.set(type.name, new Set(ROOTS.has(type.name) ? CALLERS : []));
  let changed = true;
  while (changed) {
    changed = false;
    for (const type of objectTypes(schema)) {
      const holders = reach.get(type.name)!;
      if (!holders.size) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        const targets = isObjectType(named) ? [named] : isAbstractType(named) ? schema.getPossibleTypes(named) : [];
        if (!targets.length) continue;
        const need = needOf(type.name, field.name);
        for (const target of targets) {
          const into = reach.get(target.name)!;
          for (const caller of holders) {
            if (meets(caller, need) && !into.has(caller)) {
              into.add(caller);
              changed = true;
            }
          }
        }
      }
    }
  }
  return reach;
}

/**
 * The fields that get a rule: every root field, and every other field some holder of its object
 * does not meet the need of (a field without a line: every holder). The rest are left as they
 * are: whoever reaches them has already passed what they need.
 */
export function ruledFields(schema: GraphQLSchema): Map<string, string[]> {
  const reach = reachOf(schema);
  const ruled = new Map<string, string[]>();
  for (const type of objectTypes(schema)) {
    const holders = [...reach.get(type.name)!];
    const fields = Object.keys(type.getFields()).filter(
      (field) => ROOTS.has(type.name) || holders.some((caller) => !meets(caller, needOf(type.name, field))),
    );
    if (fields.length) ruled.set(type.name, fields);
  }
  return ruled;
}

/**
 * Role by role, the fields a caller could read without meeting their need: walking the schema
 * from the roots through the fields the caller passes (its need is met, or the field is left
 * unwrapped), every unwrapped field of a type it reaches must be one it meets. Empty, or the
 * placement is wrong; `applyShield` refuses to start then.
 */
export function unguardedReads(schema: GraphQLSchema, ruled: Map<string, string[]>): string[] {
  const problems: string[] = [];
  const isRuled = (type: string, field: string) => ruled.get(type)?.includes(field) ?? false;
  for (const caller of CALLERS) {
    const seen = new Set<string>();
    const queue = objectTypes(schema).filter((type) => ROOTS.has(type.name));
    while (queue.length) {
      const type = queue.pop()!;
      if (seen.has(type.name)) continue;
      seen.add(type.name);
      for (const field of Object.values(type.getFields())) {
        const need = needOf(type.name, field.name);
        if (isRuled(type.name, field.name) && !meets(caller, need)) continue; // the rule stops it
        if (!meets(caller, need)) problems.push(`${caller} reads ${type.name}.${field.name} (needs ${need ?? 'a line in PERMISSIONS'})`);
        const named = getNamedType(field.type);
        if (isObjectType(named)) queue.push(named);
        else if (isAbstractType(named)) queue.push(...schema.getPossibleTypes(named));
      }
    }
  }
  return problems;
}

const forbidden = () => codedError('FORBIDDEN', 'Your role does not allow this.');

/**
 * One shield rule per need, built once. The check is the same `can()` as everywhere; 'no_cache'
 * because it is a synchronous lookup (cheaper than the cache) and `login` changes the account
 * within its request.
 */
const RULES = new Map<Need, IRule>();
function ruleFor(need: Need): IRule | typeof allow {
  if (need === 'public') return allow;
  let made = RULES.get(need);
  if (!made) {
    made = rule(`need:${need}`, { cache: 'no_cache' })((_parent, _args, ctx: RequestContext) => {
      if (!ctx.account) return unauthenticated();
      return need === 'signedIn' || can(ctx.account.role, need as Capability) ? true : forbidden();
    });
    RULES.set(need, made);
  }
  return made;
}

/** Reading a member's sensitive field is itself recorded (docs/access.md, layer 4: audit). */
function sensitiveReadNotes(schema: GraphQLSchema): IMiddlewareTypeMap {
  const member = schema.getType('Member');
  if (!isObjectType(member)) return {};
  const note = (field: string) =>
    (async (resolve, source: { id: string }, args, ctx: RequestContext, info) => {
      ctx.sensitiveReads.note(source.id, field);
      return resolve(source, args, ctx, info);
    }) as IMiddlewareFieldMap[string];
  const fields = Object.keys(member.getFields()).filter((field) => needOf('Member', field) === 'readSensitive');
  return { Member: Object.fromEntries(fields.map((field) => [field, note(field)])) };
}

/**
 * The executable schema: a new schema with the shield's rules on the ruled fields, and the
 * sensitive reads of a member noted once the rule has let them through. Throws when the
 * placement would let a caller read a field it does not meet the need of.
 */
export function applyShield(schema: GraphQLSchema): GraphQLSchema {
  const ruled = ruledFields(schema);
  const problems = unguardedReads(schema, ruled);
  if (problems.length) throw new Error(`Permission placement leaves fields open:\n${problems.join('\n')}`);
  const tree = Object.fromEntries(
    [...ruled].map(([type, fields]) => [
      type,
      Object.fromEntries(
        fields.flatMap((field) => {
          const need = needOf(type, field);
          return need === undefined ? [] : [[field, ruleFor(need)]]; // no line: fallbackRule
        }),
      ),
    ]),
  );
  // shield() generates a middleware for every field of every type it is given; only the ruled
  // fields' middlewares are applied, so the others keep their own resolver, unwrapped.
  const generated = shield(tree, {
    fallbackRule: deny,
    fallbackError: forbidden,
    allowExternalErrors: true, // resolvers' coded errors pass through as they are
  }).generate(schema) as IMiddlewareTypeMap;
  const placed: IMiddlewareTypeMap = Object.fromEntries(
    [...ruled].map(([type, fields]) => {
      const all = generated[type] as IMiddlewareFieldMap;
      return [type, Object.fromEntries(fields.map((field) => [field, all[field]]))];
    }),
  );
  return applyMiddleware(schema, placed, sensitiveReadNotes(schema));
}

