import { allow, deny, rule } from 'graphql-shield';
import type { RequestContext } from '../graphql/context';
import { codedError, unauthenticated } from '../graphql/errors';
import { can, type Capability } from './capabilities';

/**
 * The building blocks of permissions.ts. A rule answers true or an error with its code; the
 * answer for one request is cached ("contextual"), so a rule on a field of a 100-row list
 * is decided once, not a hundred times.
 */
export const isAuthenticated = rule('isAuthenticated', { cache: 'contextual' })((_parent, _args, ctx: RequestContext) =>
  ctx.account ? true : unauthenticated(),
);

type Rule = typeof isAuthenticated;
const capabilityRules = new Map<Capability, Rule>();

/** The rule "the caller's role has this capability" (capabilities.ts), FORBIDDEN otherwise. */
export function has(capability: Capability): Rule {
  let existing = capabilityRules.get(capability);
  if (!existing) {
    existing = rule(`has:${capability}`, { cache: 'contextual' })((_parent, _args, ctx: RequestContext) => {
      if (!ctx.account) return unauthenticated();
      return can(ctx.account.role, capability) ? true : codedError('FORBIDDEN', 'Your role does not allow this.');
    });
    capabilityRules.set(capability, existing);
  }
  return existing;
}

export { allow, deny };
