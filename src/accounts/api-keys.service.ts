import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { formatApiKey, hashApiKeySecret, newApiKeySecret } from '../access/api-keys';
import { Role } from '../access/roles';
import { connectionFrom, idAfter, type Connection, type PageRequest } from '../graphql/connection';
import { UserErrorCode, userError, type UserError } from '../graphql/errors';
import { OrgUnit } from '../units/org-unit.entity';
import { Account } from './account.entity';
import { ApiKey } from './api-key.entity';
import { isId } from '../graphql/ids';

export interface CreatedApiKey {
  apiKey: ApiKey | null;
  key: string | null;
  userErrors: UserError[];
}

/** API keys of reporting tools: created and revoked by a CITY_ADMIN, within scope like everything else. */
export class ApiKeysService {
  constructor(private readonly em: EntityManager, private readonly actor: AuthAccount | null) {}

  async create(input: { name: string; role: Role; unitId: string }): Promise<CreatedApiKey> {
    const name = input.name.trim();
    if (!name || name.length > 100) {
      return { apiKey: null, key: null, userErrors: [userError(UserErrorCode.INVALID, 'Give the key a name of 1 to 100 characters.', ['input', 'name'])] };
    }
    const unit = isId(input.unitId) ? await this.em.findOne(OrgUnit, { id: input.unitId }) : null;
    if (!unit) {
      return { apiKey: null, key: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'No such unit in your scope.', ['input', 'unitId'])] };
    }
    // A unit that ended in a reorganisation keeps its row for history; nobody works in it any more.
    if (unit.validTo) {
      const message = `${unit.code} ended on ${unit.validTo}: a key is given to a unit that still exists (see the unit's lineage for its successor).`;
      return { apiKey: null, key: null, userErrors: [userError(UserErrorCode.INVALID, message, ['input', 'unitId'])] };
    }
    const secret = newApiKeySecret();
    const apiKey = this.em.create(ApiKey, {
      name,
      role: input.role,
      unit,
      secretHash: hashApiKeySecret(secret),
      createdBy: this.actor?.kind === 'account' ? this.em.getReference(Account, this.actor.id) : null,
    });
    await this.em.flush();
    return { apiKey, key: formatApiKey(apiKey.id, secret), userErrors: [] };
  }

  async revoke(id: string): Promise<{ apiKey: ApiKey | null; userErrors: UserError[] }> {
    const apiKey = isId(id) ? await this.em.findOne(ApiKey, { id }) : null;
    if (!apiKey) return { apiKey: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'No such API key in your scope.', ['input', 'id'])] };
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      apiKey.version += 1;
      await this.em.flush();
    }
    return { apiKey, userErrors: [] };
  }

  async list(page: PageRequest): Promise<Connection<ApiKey>> {
    const after = idAfter(page);
    const keys = await this.em.find(ApiKey, after ? { id: { $gt: after } } : {}, { orderBy: { id: 'asc' }, limit: page.first + 1 });
    return connectionFrom(keys, page, (k) => [k.id], () => this.em.count(ApiKey));
  }
}
