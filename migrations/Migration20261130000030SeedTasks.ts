import { Migration } from '@mikro-orm/migrations';

/**
 * Work the demo seed leaves for the running server: the 2025 reform, which the seed cannot apply
 * itself because it goes through the API (seeds/demo-reform.ts). The seed writes the task with
 * its data; the server does it on start and removes it when done, so a start interrupted halfway
 * tries again, and a database the seed did not make (or whose task is done) is never touched.
 * Only the owner role reads or writes it.
 */
export class Migration20261130000030SeedTasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table seed_task (name text primary key, created_at timestamptz not null default now())`);
    this.addSql(`revoke all on seed_task from public`);
  }
}
