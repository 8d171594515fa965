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
   * null when nothing sensitive was read. On the primary the request sends it in the same message
   * as its COMMIT (database/opening-transaction.ts), so it is in the request's transaction and
   * costs no round trip. A read answered by the read replica cannot write there: it is sent to the
   * primary after the replica's transaction ended, in a transaction of its own that enters the same
   * credential and request id (request-transaction.ts, recordOnPrimary), before the answer leaves.
   * Either way a failure to write it fails the request. Written with literals (a message of several
   * statements cannot bind parameters): ids are checked digits, field names GraphQL names;
   * anything else is left out.
   */
  closingStatement(): string | null {
    if (!this.members.size) return null;
    const fields = [...this.fields].filter((f) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(f)).sort();
    return `select hoso_record_reads('{${[...this.members].join(',')}}'::bigint[], '{${fields.join(',')}}'::text[])`;
  }
}
