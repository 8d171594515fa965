import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { RequestContext } from './context';
import { codedError, unauthenticated } from '../graphql/errors';
import { can } from './capabilities';
import { PERMISSIONS, type Need } from './permissions';

/**
 * Enforces PERMISSIONS on every field of the schema, deny by default.
 *
 * graphql-shield did the same job but wrapped every field in two awaited promises; on a page of
 * 100 members that cost a third of the API's throughput (bench/shield-overhead.ts). The rules
 * here depend only on the caller's role, so the check is a synchronous lookup, and fields open
 * to everyone ('public') are not wrapped at all.
 */
export function needOf(typeName: string, fieldName: string): Need | undefined {
  const rule = PERMISSIONS[typeName];
  return typeof rule === 'string' ? rule : rule?.[fieldName];
}

function check(need: Need, ctx: RequestContext): void {
  if (need === 'public') return;
  const account = ctx.account;
  if (!account) throw unauthenticated();
  if (need !== 'signedIn' && !can(account.role, need)) throw codedError('FORBIDDEN', 'Your role does not allow this.');
}

const denied: GraphQLFieldResolver<unknown, RequestContext> = () => {
  throw codedError('FORBIDDEN', 'Your role does not allow this.');
};

/** Wraps the resolvers of `schema` in place; give it a schema of its own (not shared with printing). */
export function applyPermissions(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const need = needOf(type.name, field.name);
      if (need === 'public') continue;
      if (need === undefined) {
        field.resolve = denied;
        continue;
      }
      const resolve = field.resolve ?? defaultFieldResolver;
      // Reading a member's sensitive field is itself recorded (docs/access.md, layer 4: audit).
      const recordRead = need === 'readSensitive' && type.name === 'Member';
      field.resolve = (source, args, ctx: RequestContext, info) => {
        check(need, ctx);
        if (recordRead) ctx.sensitiveReads.note((source as { id: string }).id, field.name);
        return resolve(source, args, ctx, info);
      };
    }
  }
  return schema;
}
