import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../access/roles';
import { ConnectionType, pageRequest, type Connection } from '../graphql/connection';
import type { RequestContext } from '../access/context';
import { UserError } from '../graphql/errors';
import { mutation } from '../graphql/mutation';
import { OrgUnit } from '../units/org-unit.entity';
import { ApiKey } from './api-key.entity';
import { MaxChars } from '../graphql/input-limits';

const ApiKeyConnection = ConnectionType(ApiKey, 'ApiKey', 'API key');

@InputType({ description: 'A new API key for a reporting tool.' })
class CreateApiKeyInput {
  @MaxChars(100)
  @Field({ description: 'What the key is for.' })
  name!: string;

  @Field(() => Role, { description: 'Role the key acts with (usually REPORTER).' })
  role!: Role;

  @Field(() => ID, { description: 'Unit whose subtree the key may read.' })
  unitId!: string;
}

@ObjectType({ description: 'Result of createApiKey.' })
class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The key created.' })
  apiKey!: ApiKey | null;

  @Field(() => String, { nullable: true, description: 'The key itself, to send as `Authorization: Bearer <key>`. Shown only this once.' })
  key!: string | null;

  @Field(() => [UserError], { description: 'Why the key was not created; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'The API key to revoke.' })
class RevokeApiKeyInput {
  @Field(() => ID, { description: 'Id of the key.' })
  id!: string;
}

@ObjectType({ description: 'Result of revokeApiKey.' })
class RevokeApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The key, now revoked.' })
  apiKey!: ApiKey | null;

  @Field(() => [UserError], { description: 'Why the key was not revoked; empty on success.' })
  userErrors!: UserError[];
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection, { description: 'API keys of units in your scope (CITY_ADMIN).' })
  apiKeys(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string,
  ): Promise<Connection<ApiKey>> {
    return ctx.services.apiKeys.list(pageRequest(first, after));
  }

  @Mutation(() => CreateApiKeyPayload, { description: 'Creates an API key for a reporting tool (CITY_ADMIN). The key is shown once.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: RequestContext): Promise<CreateApiKeyPayload> {
    return mutation(ctx.em, { apiKey: null, key: null }, (em) => ctx.servicesOn(em).apiKeys.create(input));
  }

  @Mutation(() => RevokeApiKeyPayload, { description: 'Revokes an API key at once (CITY_ADMIN).' })
  revokeApiKey(@Arg('input', () => RevokeApiKeyInput) input: RevokeApiKeyInput, @Ctx() ctx: RequestContext): Promise<RevokeApiKeyPayload> {
    return mutation(ctx.em, { apiKey: null }, (em) => ctx.servicesOn(em).apiKeys.revoke(input.id));
  }

  @FieldResolver(() => OrgUnit, { description: 'Unit whose subtree the key may read.' })
  async unit(@Root() apiKey: ApiKey, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load(apiKey.unit.id);
  }
}
