import { Migration } from '@mikro-orm/migrations';

/** Reports in the forms' categories: education levels, political theory none, religions (issue 12; reserved, filled by the work on that part). */
export class Migration20261126000021ReportCategories extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }
}
