import { Migration } from '@mikro-orm/migrations';

/**
 * Login limits kept in PostgreSQL, so several API instances behind one load balancer count the
 * same attempts: the per-username lock holds whichever instance a guess reaches. The table has
 * the shape rate-limiter-flexible's PostgreSQL store reads and writes (src/access/login-limits.ts);
 * the API role uses it outside any request transaction, so its counts survive a refused login.
 * Keys are `u:<username>` and `a:<address>`: counters, not records, so no row-level security.
 */
export class Migration20261130000031SharedLoginLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table login_limit (key varchar(255) primary key, points integer not null default 0, expire bigint)`);
    this.addSql(`revoke all on login_limit from public`);
    this.addSql(`grant select, insert, update, delete on login_limit to hoso_api`);
  }
}
