import { Migration } from '@mikro-orm/migrations';

/** Transfers across the organisation's boundary, temporary transfers, late arrivals (issue 12; reserved, filled by the work on that part). */
export class Migration20261126000020BoundaryTransfers extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1');
  }
}
