import { raw } from '@mikro-orm/core';
import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { dummyPasswordHash, verifyPassword } from '../access/passwords';
import { enterAccount } from '../database/request-transaction';
import { requireAccount, type RequestContext } from '../graphql/context';
import { UserError, UserErrorCode, userError } from '../graphql/errors';
import { DateTimeScalar } from '../graphql/scalars';
import { OrgUnit } from '../units/org-unit.entity';
import { Account } from './account.entity';

@InputType({ description: 'Credentials of an account (đăng nhập).' })
class LoginInput {
  @Field({ description: 'Login name.' })
  username!: string;

  @Field({ description: 'Password.' })
  password!: string;
}

@ObjectType({ description: 'Result of login: a bearer token, or user errors.' })
class LoginPayload {
  @Field(() => String, { nullable: true, description: 'Send as `Authorization: Bearer <token>`; null when login failed.' })
  token!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the token stops working.' })
  expiresAt!: Date | null;

  @Field(() => Account, { nullable: true, description: 'The account signed in.' })
  account!: Account | null;

  @Field(() => [UserError], { description: 'Why login failed; empty on success.' })
  userErrors!: UserError[];
}

@Resolver(() => Account)
export class AuthResolver {
  @Query(() => Account, { nullable: true, description: 'The signed-in account.' })
  me(@Ctx() ctx: RequestContext): Promise<Account | null> {
    const account = requireAccount(ctx);
    return ctx.em.findOne(Account, { id: account.id });
  }

  @Mutation(() => LoginPayload, { description: 'Exchanges a username and password for a bearer token.' })
  async login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: RequestContext): Promise<LoginPayload> {
    const account = await ctx.em.findOne(Account, {
      [raw('lower(username)')]: input.username.trim().toLowerCase(),
      active: true,
    });
    // Unknown users cost one hash check too, so timing does not tell which usernames exist.
    const valid = await verifyPassword(account?.passwordHash ?? (await dummyPasswordHash()), input.password);
    if (!account || !valid) {
      return {
        token: null,
        expiresAt: null,
        account: null,
        userErrors: [userError(UserErrorCode.INVALID_CREDENTIALS, 'Wrong username or password.', ['input', 'password'])],
      };
    }
    const { token, expiresAt } = await ctx.app.tokens.sign(account.id);
    // From here the request acts as the signed-in account, so the payload's account.unit is
    // read in that account's scope like any later request.
    ctx.account = await enterAccount(ctx.em, account.id, ctx.requestId);
    return { token, expiresAt, account, userErrors: [] };
  }

  @FieldResolver(() => OrgUnit, { description: 'The unit whose subtree is the account’s scope.' })
  async unit(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<OrgUnit> {
    const unit = await ctx.loaders.unitById.load(account.unit.id);
    if (!unit) throw new Error(`unit of account ${account.id} is outside the request's scope`);
    return unit;
  }
}
