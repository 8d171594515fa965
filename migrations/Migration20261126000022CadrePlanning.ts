import { Migration } from '@mikro-orm/migrations';

/** Cadres: reappointment due, planning with a decision and term-aligned period (issue 12; reserved, filled by the work on that part). */
export class Migration20261126000022CadrePlanning extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }
}
