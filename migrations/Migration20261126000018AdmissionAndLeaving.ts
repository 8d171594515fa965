import { Migration } from '@mikro-orm/migrations';

/**
 * The departure causes of src/members/departure.ts at the time of this migration. Copied, not
 * imported: a migration is frozen, and a later change to the catalogue needs its own migration.
 */
const DEPARTURE_CAUSES = [
  'NOT_APPROVED_AT_PROBATION_END',
  'SELF_ABANDONMENT',
  'LOST_QUALITIES',
  'VOLUNTARY_RESIGNATION',
  'SPECIAL_FAMILY_HARDSHIP',
  'DISCIPLINE',
  'CONVICTION_CORRUPTION',
  'CONVICTION_SERIOUS',
  'CONVICTION_LESS_SERIOUS',
  'SERIOUS_DISUNITY',
  'DEATH',
  'OTHER',
];

/**
 * Two admission dates, departure causes, readmission by cause, serious illness and the age
 * exception (issue 12).
 *
 * - member.admission_ceremony_on: the admission ceremony (lễ kết nạp), from which the 12 months of
 *   probation run; joined_on stays the admission decision's date (party age). Existing rows get
 *   the ceremony equal to the decision, as the issue asks; an insert that leaves it out (the demo
 *   and benchmark seeds write raw rows) gets joined_on from a trigger.
 * - member.age_exception_decision_*: the provincial-level committee's decision that allows an
 *   admission over 60.
 * - member.serious_illness_since / _ground: a serious illness recorded on the member (early badge),
 *   both or neither.
 * - member_status_period.cause: why a member left (end states only); existing end-state periods
 *   keep null (not rewritten: the data-quality list names them).
 * - member_status_period.conviction_expunged_on: for a departure for a less serious crime, when the
 *   conviction was expunged (the readmission wait runs from it).
 */
export class Migration20261126000018AdmissionAndLeaving extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table member add column admission_ceremony_on date`);
    // The backfill is this migration's own act, documented here, not a change by a person: the
    // audit capture (and the facts, which do not read the ceremony) skip it as for a bulk load,
    // so a city of a million members does not write a million events in one transaction.
    this.addSql(`set local hoso.bulk_load = 'on'`);
    this.addSql(`update member set admission_ceremony_on = joined_on`);
    this.addSql(`set local hoso.bulk_load = 'off'`);
    this.addSql(`
      alter table member
        alter column admission_ceremony_on set not null,
        add check (admission_ceremony_on >= joined_on),
        add column age_exception_decision_number text,
        add column age_exception_decision_date date,
        add column age_exception_decision_body text,
        add check ((age_exception_decision_number is null) = (age_exception_decision_date is null)
               and (age_exception_decision_number is null) = (age_exception_decision_body is null)),
        add column serious_illness_since date,
        add column serious_illness_ground text check (btrim(serious_illness_ground) <> ''),
        add check ((serious_illness_since is null) = (serious_illness_ground is null))`);
    this.addSql(`
      create function member_default_ceremony() returns trigger language plpgsql as $$
      begin
        -- Rows written without the ceremony (raw seeds, old clients): the decision's date, as for
        -- the records that existed before the two dates were kept apart.
        new.admission_ceremony_on := coalesce(new.admission_ceremony_on, new.joined_on);
        return new;
      end $$`);
    this.addSql(`
      create trigger member_default_ceremony_before before insert on member
      for each row execute function member_default_ceremony()`);

    const causes = DEPARTURE_CAUSES.map((c) => `'${c}'`).join(', ');
    this.addSql(`
      alter table member_status_period
        add column cause text check (cause in (${causes})),
        add column conviction_expunged_on date,
        add check (cause is null or status in ('REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED')),
        add check (conviction_expunged_on is null or cause = 'CONVICTION_LESS_SERIOUS')`);
  }
}
