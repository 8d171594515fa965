import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { migrationsList } from '../../migrations';
import { Account } from '../accounts/account.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { PlanningEntry, Post } from '../cadres/cadre.entity';
import { ApiKey } from '../accounts/api-key.entity';
import { MemberStatusPeriod, MemberUnitPeriod } from '../members/member-period.entity';
import { Decision } from '../members/decision';
import { Member } from '../members/member.entity';
import { SUB_RECORD_ENTITIES } from '../members/sub-records.entity';
import { Transfer } from '../transfers/transfer.entity';
import { OrgUnit } from '../units/org-unit.entity';

export const entities = [Decision, OrgUnit, Member, MemberStatusPeriod, MemberUnitPeriod, ...SUB_RECORD_ENTITIES, Transfer, Post, PlanningEntry, Account, ApiKey, AuditEvent];

/** MikroORM options for one connection string; entities are listed, never discovered by path. */
export function ormOptions(clientUrl: string, poolSize = 10, onQuery?: (sql: string) => void): Options {
  return {
    // Tests count SQL statements through this hook (MikroORM logs each query it runs).
    ...(onQuery ? { debug: ['query' as const], logger: onQuery, colors: false } : { debug: false }),
    clientUrl,
    entities,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // A request waits at most 10 s for a connection, then is answered 503 (see availability.ts)
    // instead of hanging while the pool is full or the database is away.
    pool: { min: 0, max: poolSize, acquireTimeoutMillis: 10_000 },
    // Entities are read per request through forks; the global context must never be used.
    allowGlobalContext: false,
    // The API keeps identity maps per request; nothing is flushed that a service did not ask for.
    flushMode: 'commit',
    forceUtcTimezone: true,
    // A record may point at one outside the reader's scope (a transfer's receiving unit): the
    // record stays visible and the reference resolves to null through the scoped loaders,
    // instead of MikroORM hiding the record by joining the reference's filter.
    autoJoinRefsForFilters: false,
  };
}

export async function openOrm(clientUrl: string, poolSize?: number, onQuery?: (sql: string) => void): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, poolSize, onQuery));
}

/** Runs pending migrations as the owner role (a separate short-lived connection). */
export async function migrate(ownerUrl: string): Promise<string[]> {
  const orm = await openOrm(ownerUrl, 1);
  try {
    const done = await orm.getMigrator().up();
    return done.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
