import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../access/context';
import { SENSITIVE_MEMBER_FIELDS } from '../access/sensitive';
import { mutation } from '../graphql/mutation';
import { OrgUnit } from '../units/org-unit.entity';
import { ImportBatch, importBatchOf, ImportOutcome, ImportPayload, ImportRow, importRowOf } from './imports.types';
import { historyReason, type ImportPayloadData } from './imports.service';

const refused = { batch: null, blockers: [] };

/** The payload of the service's result, in the schema's types. */
function payloadOf(data: ImportPayloadData): ImportPayload {
  return Object.assign(new ImportPayload(), {
    batch: data.batch ? importBatchOf(data.batch) : null,
    userErrors: data.userErrors,
    blockers: data.blockers,
  });
}

@Resolver(() => ImportBatch)
export class ImportResolver {
  @Query(() => ImportBatch, {
    nullable: true,
    description: 'An import (upload it with POST /imports): its dry run, counts and rows; null when absent or outside your scope.',
  })
  async importBatch(@Arg('id', () => ID, { description: 'The import’s id.' }) id: string, @Ctx() ctx: RequestContext): Promise<ImportBatch | null> {
    const row = await ctx.services.imports.batch(id);
    return row ? importBatchOf(row) : null;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The unit the file was imported into (đơn vị nhận).' })
  unit(@Root() batch: ImportBatch, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    return ctx.loaders.unitById.load(batch.unitId);
  }

  @FieldResolver(() => [ImportRow], { description: 'The rows of the file with their verdicts, in row order: up to `first` rows after `afterRow`.' })
  async rows(
    @Root() batch: ImportBatch,
    @Ctx() ctx: RequestContext,
    @Arg('outcome', () => ImportOutcome, { nullable: true, description: 'Only rows of this outcome.' }) outcome?: ImportOutcome | null,
    @Arg('afterRow', () => Int, { nullable: true, description: 'Rows after this row number (default 0: from the first).' }) afterRow?: number | null,
    @Arg('first', () => Int, { nullable: true, description: 'How many rows, 1 to 100 (default 100).' }) first?: number | null,
  ): Promise<ImportRow[]> {
    const rows = await ctx.services.imports.rows(batch.id, {
      outcome,
      afterRow: Math.max(0, afterRow ?? 0),
      first: Math.min(100, Math.max(1, first ?? 100)),
    });
    // A correction shows the member's current value beside the file's: a sensitive one is read
    // as the member's own field would be, so it is an access event (READ_SENSITIVE) too.
    for (const row of rows) {
      if (!row.member_id || !row.changes) continue;
      for (const column of Object.keys(row.changes)) {
        const sensitive = SENSITIVE_MEMBER_FIELDS.find((f) => f.column === column);
        if (sensitive) ctx.sensitiveReads.note(row.member_id, sensitive.field);
      }
    }
    return rows.map(importRowOf);
  }

  @Mutation(() => ImportPayload, {
    description:
      'Writes the rows the dry run accepted (CREATE and UPDATE), at most 1,000 per call, each call one transaction: status COMMITTING means call again to go on from committedThroughRow; COMMITTED, done. Every change is in the history with the import’s id and the reason. Refused, writing nothing, if a member it matched has changed since the dry run.',
  })
  commitImport(
    @Arg('id', () => ID, { description: 'The import.' }) id: string,
    @Arg('reason', { description: 'Why (lý do), kept with every change.' }) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ImportPayload> {
    return mutation(ctx.em, refused, async (em) => payloadOf(await ctx.servicesOn(em).imports.commit(id, reason)), historyReason(id, reason), { sqlOnly: true });
  }

  @Mutation(() => ImportPayload, {
    description:
      'Reverses a committed import, the last rows first, at most 1,000 per call, each call one transaction (status UNDOING: call again; UNDONE: done): the members it created are removed, the members it corrected get their values back. Refused while any of them has been changed since (blockers names them): the first call checks the whole import, each later one its own rows.',
  })
  undoImport(
    @Arg('id', () => ID, { description: 'The import.' }) id: string,
    @Arg('reason', { description: 'Why (lý do), kept in the history.' }) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ImportPayload> {
    return mutation(ctx.em, refused, async (em) => payloadOf(await ctx.servicesOn(em).imports.undo(id, reason)), historyReason(id, reason, 'Undo of import'), { sqlOnly: true });
  }
}
