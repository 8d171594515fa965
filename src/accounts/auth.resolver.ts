import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { dummyPasswordHash, verifyPassword } from '../access/passwords';
import { enterAccount } from '../access/request-transaction';
import { requireAccount, type RequestContext } from '../access/context';
import { UserError, UserErrorCode, userError } from '../graphql/errors';
import { DateTimeScalar } from '../graphql/scalars';
import { OrgUnit } from '../units/org-unit.entity';
import { Account } from './account.entity';
import { MaxChars } from '../graphql/input-limits';
import { countLoginRefusal, noteCredential } from '../observability/request-context';

@InputType({ description: 'Credentials of an account (đăng nhập).' })
class LoginInput {
  @MaxChars(64)
  @Field({ description: 'Login name.' })
  username!: string;

  @MaxChars(200)
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
  @Query(() => Account, { nullable: true, description: 'The signed-in account; null for an API key.' })
  async me(@Ctx() ctx: RequestContext): Promise<Account | null> {
    const account = requireAccount(ctx);
    return account.kind === 'account' ? ctx.em.findOne(Account, { id: account.id }) : null;
  }

  @Mutation(() => LoginPayload, { description: 'Exchanges a username and password for a bearer token.' })
  async login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: RequestContext): Promise<LoginPayload> {
    // The attempt is counted as a failure before the password is checked (parallel guesses cannot
    // outrun the limit) and refunded by `succeeded` when the password is right.
    try {
      await ctx.app.loginLimiter.admit(input.username, ctx.clientAddress);
    } catch (error) {
      if ((error as { extensions?: { code?: unknown } }).extensions?.code === 'RATE_LIMITED') countLoginRefusal(ctx.record, 'RATE_LIMITED');
      throw error;
    }
    // Before login no scope is set, so row-level security hides every account; this function
    // returns only the id and hash of the one named.
    const [candidate] = await ctx.em
      .getConnection()
      .execute<{ id: string; password_hash: string }[]>(
        'select id::text, password_hash from hoso_login_candidate(?)',
        [input.username.trim()],
        'all',
        ctx.em.getTransactionContext(),
      );
    // Unknown users cost one hash check too, so timing does not tell which usernames exist.
    const valid = await verifyPassword(candidate?.password_hash ?? (await dummyPasswordHash()), input.password);
    if (!candidate || !valid) {
      countLoginRefusal(ctx.record, 'INVALID_CREDENTIALS');
      return {
        token: null,
        expiresAt: null,
        account: null,
        userErrors: [userError(UserErrorCode.INVALID_CREDENTIALS, 'Wrong username or password.', ['input', 'password'])],
      };
    }
    await ctx.app.loginLimiter.succeeded(input.username);
    const { token, expiresAt } = await ctx.app.tokens.sign(candidate.id);
    // From here the request acts as the signed-in account, so the payload's account is read in
    // that account's scope like any later request.
    ctx.account = await enterAccount(ctx.em, candidate.id, ctx.requestId, ctx.app.clock.today());
    noteCredential(ctx.record, ctx.account); // the request's log line names the account signed in (its id only)
    const account = await ctx.em.findOneOrFail(Account, { id: candidate.id });
    return { token, expiresAt, account, userErrors: [] };
  }

  @FieldResolver(() => OrgUnit, { description: 'The unit whose subtree is the account’s scope.' })
  async unit(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<OrgUnit> {
    const unit = await ctx.loaders.unitById.load(account.unit.id);
    if (!unit) throw new Error(`unit of account ${account.id} is outside the request's scope`);
    return unit;
  }
}
