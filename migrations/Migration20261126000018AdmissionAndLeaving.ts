import { Migration } from '@mikro-orm/migrations';

/** Two admission dates, departure causes, readmission by cause, illness and age exceptions (issue 12; reserved, filled by the work on that part). */
export class Migration20261126000018AdmissionAndLeaving extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }
}
