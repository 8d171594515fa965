import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { migrationsList } from '../../migrations';
/**
 * MikroORM options for one connection string. Entities are listed, never discovered by path: the
 * composition root passes the features' list (src/app/features.ts); migrations and checks that
 * only run SQL open the ORM without entities.
 */
export function ormOptions(clientUrl: string, poolSize = 10, entities: NonNullable<Options['entities']> = []): Options {
  return {
    debug: false,
    clientUrl,
    entities,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true, warnWhenNoEntities: entities.length > 0 },
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

export async function openOrm(
  clientUrl: string,
  poolSize?: number,
  entities?: NonNullable<Options['entities']>,
  /** Where the driver's own warnings go (e.g. "Connection Error" per connection lost); console otherwise. */
  driverLog?: (message: string) => void,
): Promise<MikroORM> {
  const options = ormOptions(clientUrl, poolSize, entities);
  if (driverLog) {
    const write = (message: unknown) => driverLog(String(message));
    options.driverOptions = { ...options.driverOptions, log: { warn: write, error: write, deprecate: write, debug: write } };
  }
  return MikroORM.init(options);
}

/**
 * Calls `onStatement` with the text of every statement sent on the ORM's connections: MikroORM's
 * queries, the statements written out in the features' queries files, BEGIN and COMMIT alike
 * (knex, under MikroORM, reports each one). Tests count a request's statements with it.
 */
export function watchStatements(orm: MikroORM, onStatement: (sql: string) => void): void {
  orm.em.getConnection().getKnex().on('query', (event: { sql: string }) => onStatement(event.sql));
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
