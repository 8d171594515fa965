import type { EntityManager } from '@mikro-orm/postgresql';
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

  /** One READ_SENSITIVE event per member read, in the request's transaction (so in its snapshot and chain). */
  async record(em: EntityManager): Promise<void> {
    if (!this.members.size) return;
    await em
      .getConnection()
      // Array literals: the query builder would spread a JS array into a list of parameters.
      // Ids are digits and field names GraphQL identifiers, so neither needs quoting.
      .execute(
        'select hoso_record_reads(?::bigint[], ?::text[])',
        [`{${[...this.members].join(',')}}`, `{${[...this.fields].sort().join(',')}}`],
        'all',
        em.getTransactionContext(),
      );
  }
}
