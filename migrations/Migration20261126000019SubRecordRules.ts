import { Migration } from '@mikro-orm/migrations';

/** Sub-record rules: badges by the rules, ratings, expulsion as one act, dismissal and decisions (issue 12; reserved, filled by the work on that part). */
export class Migration20261126000019SubRecordRules extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }
}
