import { isId } from '../graphql/ids';

/** Sensitive fields read in one request, by member: written as access events before it commits. */
export class SensitiveReads {
  private readonly members = new Set<string>();
  private readonly fields = new Set<string>();

  note(memberId: string, field: string): void {
    if (!isId(String(memberId))) return; // ids come from the database; anything else is not a member
    this.members.add(String(memberId));
    this.fields.add(field);
  }

  /**
   * The statement that writes one READ_SENSITIVE event per member read (hoso_record_reads), or
   * null when nothing sensitive was read. The request sends it in the same message as its COMMIT
   * (database/opening-transaction.ts), so it is in the request's transaction (its snapshot and
   * chain) and costs no round trip. Written with literals (a message of two statements cannot bind
   * parameters): ids are checked digits, field names GraphQL names; anything else is left out.
   */
  closingStatement(): string | null {
    if (!this.members.size) return null;
    const fields = [...this.fields].filter((f) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(f)).sort();
    return `select hoso_record_reads('{${[...this.members].join(',')}}'::bigint[], '{${fields.join(',')}}'::text[])`;
  }
}
