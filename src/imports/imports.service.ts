import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import type { Loaders } from '../access/context';
import type { Config } from '../config';
import { can } from '../access/capabilities';
import { runStatement, runWriteStatement } from '../database/sql';
import { codedError, userError, UserErrorCode, type UserError } from '../graphql/errors';
import { isId } from '../graphql/ids';
import { MemberStatus } from '../members/member.entity';
import { NUMBER_UNUSABLE } from '../members/unique-numbers';
import { UnitKind } from '../units/org-unit.entity';
import { CellIndex, changesFor, headerOf, headerOfColumn, readRow, UPDATABLE, type ImportCell, type ImportValues, type MemberColumnsRow, type RowProblem } from './import-rules';
import * as sql from './imports.queries';
import { ImportFileError, openImportFile, type RawRow } from './read-file';
import type { ReportVerdict } from './report';

/** Rows read, checked and written together by a dry run: bounded memory whatever the file's size. */
const DRY_RUN_CHUNK = 1000;
/**
 * Rows a commit applies per call (one transaction each); a ward's file is done in one call. Sized
 * by the statements it sends, not by memory: the chunk's period inserts rebuild its members'
 * reporting facts in one statement, which must stay well inside the 30 s statement timeout on a
 * busy server.
 */
export const COMMIT_CHUNK = 1000;
/**
 * Rows an undo takes back per call (one transaction each): the chunk's created members are
 * removed together (hoso_import_remove_members, migration 36), so it is sized as a commit's.
 */
export const UNDO_CHUNK = 1000;

export type ImportOutcome = 'CREATE' | 'UPDATE' | 'UNCHANGED' | 'DUPLICATE' | 'REFUSED';
export type ImportStatus = 'DRY_RUN' | 'COMMITTING' | 'COMMITTED' | 'UNDOING' | 'UNDONE';

/** The reason the history keeps for every change of a commit or an undo: the import's id and the caller's reason. */
export function historyReason(id: string, reason: string, what = 'Import'): string {
  return `${what} #${id}: ${reason.trim()}`;
}

/** A batch as read (never with its file). */
export interface ImportBatchRow {
  id: string;
  unit_id: string;
  /** The unit's path today. */
  unit_path: string;
  created_by: string | null;
  created_at: Date;
  file_name: string;
  file_format: 'xlsx' | 'csv';
  file_encoding: string | null;
  status: ImportStatus;
  position: number;
  counts: Partial<Record<ImportOutcome, number>>;
  ignored_columns: string[];
  reason: string | null;
  committed_at: Date | null;
  undone_at: Date | null;
  undo_reason: string | null;
  file_bytes: number;
  file_sha256: string;
}

/** A row of the dry run as read back. */
export interface ImportRowRecord {
  row_number: number;
  outcome: ImportOutcome;
  member_id: string | null;
  duplicate_of_row: number | null;
  values: Partial<ImportValues>;
  changes: Record<string, [unknown, unknown]> | null;
  problems: RowProblem[] | null;
}

interface Verdict {
  row_number: number;
  outcome: ImportOutcome;
  member_id?: string | null;
  member_version?: number | null;
  duplicate_of_row?: number | null;
  values?: ImportValues | null;
  changes?: Record<string, [unknown, unknown]> | null;
  problems?: RowProblem[] | null;
}

export interface ImportPayloadData {
  batch: ImportBatchRow | null;
  userErrors: UserError[];
  /** Undo: the members changed since the import, with their rows. */
  blockers: { rowNumber: number; memberId: string }[];
}

const column = (field: Parameters<typeof headerOf>[0]) => headerOf(field);

/**
 * Spreadsheet imports (issue 17): a dry run that stores the file and a verdict for every row,
 * then a commit in resumable chunks and an undo. The rules of a row are import-rules.ts; the
 * SQL is imports.queries.ts. Permissions are checked before a method is called (the API's
 * permissions, src/access/); scope binds every statement.
 */
export class ImportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly account: AuthAccount,
    private readonly loaders: Loaders,
    private readonly config: Config,
    private readonly today: string,
  ) {}

  private get scope(): string {
    return this.account.scope.path;
  }

  /** The role may import (the API's shield checks it too; the CLI comes here directly). */
  private demand(): void {
    if (!can(this.account.role, 'importRecords')) throw codedError('FORBIDDEN', 'Your role does not allow imports.');
  }

  /**
   * The dry run: reads the file, checks each row and writes the batch with its verdicts, in the
   * caller's transaction. A bad file (ImportFileError) is refused before anything is kept: the
   * error leaves the transaction, which writes nothing.
   */
  async dryRun(file: Buffer, options: { unitId: string; fileName: string; encoding?: 'utf-8' | 'windows-1258' | 'windows-1252' }): Promise<ImportBatchRow> {
    this.demand();
    const unit = isId(options.unitId) ? await this.loaders.unitById.load(options.unitId) : null;
    if (!unit) throw codedError('BAD_USER_INPUT', 'No such unit in your scope.', { argument: 'unit' });
    let opened;
    try {
      opened = await openImportFile(file, { encoding: options.encoding, fileName: options.fileName });
    } catch (error) {
      throw fileError(error);
    }
    const cells = await runStatement<{ id: string; code: string; name: string; valid_from: string | null; valid_to: string | null }>(
      this.em, sql.cellsUnderSql(), [unit.path, this.scope],
    );
    const cellIndex = new CellIndex(
      cells.map((c): ImportCell => ({ id: c.id, code: c.code, name: c.name, validFrom: c.valid_from, validTo: c.valid_to })),
      unit.name,
    );
    if (unit.kind === UnitKind.CELL && !cells.length) throw codedError('BAD_USER_INPUT', 'No such unit in your scope.', { argument: 'unit' });
    const [batch] = await runWriteStatement<{ id: string }>(this.em, sql.insertBatchSql(), [
      unit.id, options.fileName.slice(0, 255) || 'import', opened.format, opened.encoding ?? null, file, file, opened.header.ignored,
    ]);
    const seen = new FileKeys();
    let chunk: RawRow[] = [];
    let rows = 0;
    try {
      for await (const raw of opened.rows) {
        chunk.push(raw);
        rows++;
        if (chunk.length === DRY_RUN_CHUNK) {
          await this.checkChunk(batch.id, unit.path, chunk, cellIndex, seen);
          chunk = [];
        }
      }
    } catch (error) {
      throw fileError(error);
    }
    if (chunk.length) await this.checkChunk(batch.id, unit.path, chunk, cellIndex, seen);
    if (!rows) throw codedError('BAD_USER_INPUT', 'The file has no data rows below its header.', { argument: 'file' });
    await runWriteStatement(this.em, sql.setCountsSql(), [batch.id]);
    const result = (await this.batch(batch.id))!;
    await runStatement(this.em, sql.recordImportSql(), [
      batch.id, 'UPLOAD', JSON.stringify({ fileName: result.file_name, sha256: result.file_sha256, bytes: result.file_bytes, rows, counts: result.counts }),
    ]);
    return result;
  }

  /** The verdicts of a chunk of rows: the rules, then the matches against the file so far and the register. */
  private async checkChunk(batchId: string, unitPath: string, chunk: readonly RawRow[], cells: CellIndex, seen: FileKeys): Promise<void> {
    const read = chunk.map((raw) => ({ raw, result: readRow(raw, { cells, today: this.today, cardNumberPattern: this.config.cardNumberPattern }) }));
    const parsed = read.flatMap(({ raw, result }) => ('values' in result ? [{ rowNumber: raw.rowNumber, values: result.values }] : []));
    const matches = await this.matches(parsed.map((p) => p.values), unitPath);
    const verdicts: Verdict[] = read.map(({ raw, result }) => {
      if ('problems' in result) return { row_number: raw.rowNumber, outcome: 'REFUSED', problems: result.problems };
      return this.verdictOf(raw.rowNumber, result.values, matches, seen);
    });
    await runWriteStatement(this.em, sql.insertRowsSql(), [batchId, JSON.stringify(verdicts)]);
  }

  /**
   * What the register holds for these rows' numbers, names and birth dates, under the import's
   * unit (`unitPath`, inside the caller's scope): whoever uploads, the verdicts are read by
   * everyone whose scope holds the unit, so they tell nothing from outside it.
   */
  private async matches(values: readonly ImportValues[], unitPath: string): Promise<RegisterMatches> {
    const cards = unique(values.map((v) => v.partyCardNumber));
    const nationalIds = unique(values.map((v) => v.nationalId));
    const byNumber = cards.length || nationalIds.length ? await runStatement<MemberColumnsRow>(this.em, sql.membersByNumbersSql(), [cards, nationalIds, unitPath]) : [];
    const byCard = new Map(byNumber.filter((m) => m.party_card_number).map((m) => [String(m.party_card_number), m]));
    const byNationalId = new Map(byNumber.filter((m) => m.national_id).map((m) => [String(m.national_id), m]));
    const outside = [cards.filter((c) => !byCard.has(c)), nationalIds.filter((n) => !byNationalId.has(n))];
    const elsewhere = outside[0].length || outside[1].length ? await runStatement<{ field: string; value: string }>(this.em, sql.numbersElsewhereSql(), [unitPath, ...outside]) : [];
    const unmatched = values.filter((v) => !(v.partyCardNumber && byCard.has(v.partyCardNumber)) && !(v.nationalId && byNationalId.has(v.nationalId)));
    const named = unmatched.length
      ? await runStatement<{ ord: number; id: string }>(this.em, sql.membersByNameAndBirthSql(), [unmatched.map((v) => v.fullName), unmatched.map((v) => v.dateOfBirth), unitPath])
      : [];
    const byNameAndBirth = new Map<string, string>();
    for (const { ord, id } of named) {
      const key = nameKey(unmatched[ord - 1]);
      if (!byNameAndBirth.has(key)) byNameAndBirth.set(key, id);
    }
    return {
      byCard,
      byNationalId,
      elsewhere: new Set(elsewhere.map((e) => `${e.field}:${e.value}`)),
      byNameAndBirth,
    };
  }

  /** One row's verdict, in file order (`seen` holds the rows before it). */
  private verdictOf(rowNumber: number, values: ImportValues, register: RegisterMatches, seen: FileKeys): Verdict {
    const refuse = (problems: RowProblem[]): Verdict => ({ row_number: rowNumber, outcome: 'REFUSED', values, problems });
    const problems: RowProblem[] = [];
    const card = values.partyCardNumber;
    const nationalId = values.nationalId;
    if (card && seen.cards.has(card)) problems.push({ column: column('partyCardNumber'), message: `The same party card number as row ${seen.cards.get(card)}.` });
    if (nationalId && seen.nationalIds.has(nationalId)) problems.push({ column: column('nationalId'), message: `The same national ID (CCCD) as row ${seen.nationalIds.get(nationalId)}.` });
    if (card && register.elsewhere.has(`partyCardNumber:${card}`)) problems.push({ column: column('partyCardNumber'), message: NUMBER_UNUSABLE });
    if (nationalId && register.elsewhere.has(`nationalId:${nationalId}`)) problems.push({ column: column('nationalId'), message: NUMBER_UNUSABLE });
    const byCard = card ? register.byCard.get(card) : undefined;
    const byId = nationalId ? register.byNationalId.get(nationalId) : undefined;
    if (byCard && byId && byCard.id !== byId.id) {
      problems.push({ column: column('nationalId'), message: `The party card number is member ${byCard.id}'s, the national ID member ${byId.id}'s: correct the row.` });
    }
    const member = byCard ?? byId;
    if (member && seen.members.has(member.id)) problems.push({ column: column('fullName'), message: `Row ${seen.members.get(member.id)} already matches the same member (${member.id}).` });
    if (problems.length) return refuse(problems);
    if (card) seen.cards.set(card, rowNumber);
    if (nationalId) seen.nationalIds.set(nationalId, rowNumber);

    if (member) {
      seen.members.set(member.id, rowNumber);
      const compared = changesFor(member, values);
      if ('problems' in compared) return { ...refuse(compared.problems), member_id: member.id };
      const changed = Object.keys(compared.changes).length > 0;
      return {
        row_number: rowNumber,
        outcome: changed ? 'UPDATE' : 'UNCHANGED',
        member_id: member.id,
        member_version: member.version,
        values,
        changes: changed ? compared.changes : null,
      };
    }
    const key = nameKey(values);
    const earlier = seen.names.get(key);
    if (earlier !== undefined) return { row_number: rowNumber, outcome: 'DUPLICATE', duplicate_of_row: earlier, values };
    seen.names.set(key, rowNumber);
    const same = register.byNameAndBirth.get(key);
    if (same) return { row_number: rowNumber, outcome: 'DUPLICATE', member_id: same, values };
    return { row_number: rowNumber, outcome: 'CREATE', values };
  }

  /** A batch in scope, or null. */
  async batch(id: string, forUpdate = false): Promise<ImportBatchRow | null> {
    if (!isId(id)) return null;
    const [row] = await runStatement<ImportBatchRow>(this.em, sql.batchSql(forUpdate), [id, this.scope]);
    return row ?? null;
  }

  /** A page of a batch's rows, in row order after `afterRow`. */
  async rows(batchId: string, options: { afterRow: number; first: number; outcome?: ImportOutcome | null }): Promise<ImportRowRecord[]> {
    const values: unknown[] = [batchId, options.afterRow];
    if (options.outcome) values.push(options.outcome);
    values.push(options.first);
    return runStatement<ImportRowRecord>(this.em, sql.rowsPageSql(Boolean(options.outcome)), values);
  }

  /** Every row's verdict of a batch in words, by row number (the report's last columns). */
  async allRows(batchId: string): Promise<Map<number, ReportVerdict>> {
    const rows = await runStatement<Omit<ImportRowRecord, 'values'>>(this.em, sql.verdictsSql(), [batchId]);
    return new Map(rows.map((r) => [r.row_number, { outcome: r.outcome, text: verdictText(r) }]));
  }

  /** The cells under a unit in scope, for the template's list (none when the unit is not in scope). */
  async cellsForTemplate(unitId: string): Promise<{ code: string; name: string }[]> {
    const unit = isId(unitId) ? await this.loaders.unitById.load(unitId) : null;
    if (!unit) throw codedError('BAD_USER_INPUT', 'No such unit in your scope.', { argument: 'unit' });
    const cells = await runStatement<{ code: string; name: string; valid_to: string | null }>(this.em, sql.cellsUnderSql(), [unit.path, this.scope]);
    return cells.filter((c) => !c.valid_to || c.valid_to > this.today).map((c) => ({ code: c.code, name: c.name }));
  }

  /** A download of the stored file or the report, as an access event. */
  async recordDownload(batchId: string, what: 'FILE' | 'REPORT'): Promise<void> {
    await runStatement(this.em, sql.recordImportSql(), [batchId, what, '{}']);
  }

  /** The stored file of a batch in scope. */
  async file(batchId: string): Promise<{ file_name: string; file_format: string; file: Buffer } | null> {
    if (!isId(batchId)) return null;
    const [row] = await runStatement<{ file_name: string; file_format: string; file: Buffer }>(this.em, sql.batchFileSql(), [batchId, this.scope]);
    return row ?? null;
  }

  /**
   * Applies the next chunk of the rows the dry run accepted (CREATE and UPDATE), in the caller's
   * transaction; the batch's position moves with them, so the next call goes on from there.
   * Before writing, the chunk is checked again against the register: a member the dry run
   * matched must be at the version it read, and a row to create must still have no match. If
   * not, nothing is written and the caller is told to run a new dry run.
   */
  async commit(id: string, reason: string): Promise<ImportPayloadData> {
    this.demand();
    const refused = (message: string, field = 'id'): ImportPayloadData => ({ batch: null, userErrors: [userError(UserErrorCode.INVALID, message, [field])], blockers: [] });
    if (!reason.trim()) return { batch: null, userErrors: [userError(UserErrorCode.REQUIRED, 'Give the reason for the import (lý do).', ['reason'])], blockers: [] };
    const batch = await this.batch(id, true);
    if (!batch) return { batch: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'No such import in your scope.', ['id'])], blockers: [] };
    if (batch.status === 'COMMITTED') return refused('This import has already been committed.');
    if (batch.status === 'UNDONE' || batch.status === 'UNDOING') return refused('This import is being undone or was undone; upload the file again for a new dry run.');
    const rows = await runStatement<{ row_number: number; outcome: 'CREATE' | 'UPDATE'; member_id: string | null; member_version: number | null; values: ImportValues; changes: Record<string, [unknown, unknown]> | null }>(
      this.em, sql.rowsToCommitSql(), [batch.id, batch.position, COMMIT_CHUNK + 1],
    );
    const more = rows.length > COMMIT_CHUNK;
    const chunk = rows.slice(0, COMMIT_CHUNK);
    const stale = await this.staleRow(chunk, batch.unit_path);
    if (stale) return refused(`Row ${stale.row}: ${stale.why} since the dry run. Upload the file again for a new dry run.`);

    const creates = chunk.filter((r) => r.outcome === 'CREATE');
    const updates = chunk.filter((r) => r.outcome === 'UPDATE');
    const ids = creates.length ? (await runStatement<{ id: string }>(this.em, sql.nextMemberIdsSql(), [creates.length])).map((r) => r.id) : [];
    if (creates.length) {
      const members = creates.map((r, i) => memberRowOf(ids[i], r.values));
      await runWriteStatement(this.em, sql.insertMembersSql(), [JSON.stringify(members)]);
      const decision = (v: ImportValues) => ({
        decision_number: v.admissionDecisionNumber ?? null,
        decision_date: v.admissionDecisionNumber ? v.joinedOn : null,
        decision_body: v.admissionDecisionNumber ? (v.admittedBy ?? null) : null,
      });
      const statusPeriods = creates.flatMap((r, i) => [
        { member_id: ids[i], status: MemberStatus.PROBATIONARY, valid_from: r.values.joinedOn, valid_to: r.values.officialOn, ...decision(r.values) },
        ...(r.values.officialOn ? [{ member_id: ids[i], status: MemberStatus.OFFICIAL, valid_from: r.values.officialOn, valid_to: null, decision_number: null, decision_date: null, decision_body: null }] : []),
      ]);
      const unitPeriods = creates.map((r, i) => ({ member_id: ids[i], unit_id: r.values.cellId, valid_from: r.values.joinedOn, ...decision(r.values) }));
      await runWriteStatement(this.em, sql.insertStatusPeriodsSql(), [JSON.stringify(statusPeriods)]);
      await runWriteStatement(this.em, sql.insertUnitPeriodsSql(), [JSON.stringify(unitPeriods)]);
    }
    if (updates.length) {
      const apply = updates.map((r) => ({ id: r.member_id, version: r.member_version, apply: Object.fromEntries(Object.entries(r.changes ?? {}).map(([c, [, to]]) => [c, to])) }));
      const written = await runWriteStatement<{ id: string }>(this.em, sql.updateMembersSql(), [JSON.stringify(apply), this.scope]);
      // Cannot happen after staleRow under the batch's lock unless a member changed in between.
      if (written.length !== updates.length) throw codedError('CONFLICT', 'A member changed while the import was written; commit again.');
    }
    const marks = [
      ...creates.map((r, i) => ({ row_number: r.row_number, member_id: ids[i], replaced: null })),
      ...updates.map((r) => ({ row_number: r.row_number, member_id: r.member_id, replaced: Object.fromEntries(Object.entries(r.changes ?? {}).map(([c, [from]]) => [c, from])) })),
    ];
    if (marks.length) {
      const [{ marked }] = await runWriteStatement<{ marked: number }>(this.em, sql.markRowsCommittedSql(), [batch.id, JSON.stringify(marks)]);
      if (marked !== marks.length) throw new Error(`import ${batch.id}: ${marks.length - marked} rows could not be marked committed`);
    }
    const position = chunk.length ? chunk[chunk.length - 1].row_number : batch.position;
    const status: ImportStatus = more ? 'COMMITTING' : 'COMMITTED';
    await runWriteStatement(this.em, sql.advanceBatchSql(), [position, status, reason.trim(), status, batch.id]);
    await runStatement(this.em, sql.recordImportSql(), [
      batch.id, 'COMMIT', JSON.stringify({ fromRow: batch.position + 1, toRow: position, created: creates.length, updated: updates.length, done: !more }),
    ]);
    return { batch: await this.batch(batch.id), userErrors: [], blockers: [] };
  }

  /** The first row of a chunk whose verdict the register no longer bears out, and why. */
  private async staleRow(
    chunk: readonly { row_number: number; outcome: string; member_id: string | null; member_version: number | null; values: ImportValues }[],
    unitPath: string,
  ): Promise<{ row: number; why: string } | null> {
    const updates = chunk.filter((r) => r.outcome === 'UPDATE');
    const creates = chunk.filter((r) => r.outcome === 'CREATE');
    // The cells rows go into: still under the unit, in scope and alive (a reorganisation may have ended one).
    if (creates.length) {
      const cells = await runStatement<{ id: string; valid_to: string | null }>(this.em, sql.cellsUnderSql(), [unitPath, this.scope]);
      const alive = new Set(cells.filter((c) => !c.valid_to || c.valid_to > this.today).map((c) => c.id));
      const gone = creates.find((r) => !alive.has(r.values.cellId));
      if (gone) return { row: gone.row_number, why: `its cell (${gone.values.cellName}) has ended or moved` };
    }
    const current = await this.matches([...updates, ...creates].map((r) => r.values), unitPath);
    for (const r of updates) {
      const now = [...current.byCard.values(), ...current.byNationalId.values()].find((m) => m.id === r.member_id);
      if (!now || now.version !== r.member_version) return { row: r.row_number, why: `member ${r.member_id} has changed` };
    }
    for (const r of creates) {
      const v = r.values;
      if ((v.partyCardNumber && (current.byCard.has(v.partyCardNumber) || current.elsewhere.has(`partyCardNumber:${v.partyCardNumber}`))) ||
          (v.nationalId && (current.byNationalId.has(v.nationalId) || current.elsewhere.has(`nationalId:${v.nationalId}`)))) {
        return { row: r.row_number, why: 'its party card number or national ID has been recorded' };
      }
      if (current.byNameAndBirth.has(nameKey(v))) return { row: r.row_number, why: 'a member with the same name and date of birth has been recorded' };
    }
    return null;
  }

  /**
   * Reverses a committed (or partly committed) batch, the last rows first, at most UNDO_CHUNK
   * per call (status UNDOING until done, UNDONE then): the members it created are removed, the
   * members it corrected get back the values it replaced. Refused, changing nothing, while any
   * of them has been changed since by anyone: the payload names them. The first call checks the
   * whole batch; the next ones their own chunk, so a member changed between two calls stops the
   * undo there (UNDOING), naming it. The chunk's members are locked before they are checked, so
   * an edit made meanwhile either comes first (and blocks) or waits for the undo.
   */
  async undo(id: string, reason: string): Promise<ImportPayloadData> {
    this.demand();
    const refused = (userErrors: UserError[], blockers: ImportPayloadData['blockers'] = []): ImportPayloadData => ({ batch: null, userErrors, blockers });
    if (!reason.trim()) return refused([userError(UserErrorCode.REQUIRED, 'Give the reason for the undo (lý do).', ['reason'])]);
    const batch = await this.batch(id, true);
    if (!batch) return refused([userError(UserErrorCode.NOT_FOUND, 'No such import in your scope.', ['id'])]);
    if (batch.status === 'DRY_RUN' || batch.status === 'UNDONE') {
      return refused([userError(UserErrorCode.INVALID, batch.status === 'UNDONE' ? 'This import has already been undone.' : 'Nothing of this import has been committed.', ['id'])]);
    }
    const rows = await runStatement<{ row_number: number; outcome: 'CREATE' | 'UPDATE'; member_id: string }>(
      this.em, sql.rowsToUndoSql(), [batch.id, batch.position, this.scope, UNDO_CHUNK + 1],
    );
    const more = rows.length > UNDO_CHUNK;
    const chunk = rows.slice(0, UNDO_CHUNK);
    // Where the batch's position goes back to once this chunk is taken back.
    const position = more ? chunk[chunk.length - 1].row_number - 1 : 0;
    // The whole batch when the undo starts, so it is refused before anything is taken back; then
    // the rows this call takes back (by number: a member moved out of scope since is among them).
    const checkedAfter = batch.status === 'UNDOING' ? position : 0;
    const blockers = await runStatement<{ row_number: number; member_id: string }>(this.em, sql.blockersSql(), [batch.id, checkedAfter]);
    if (blockers.length) {
      const list = blockers.slice(0, 10).map((b) => `member ${b.member_id} (row ${b.row_number})`).join(', ');
      return refused(
        [userError(UserErrorCode.INVALID, `${blockers.length}${blockers.length === 100 ? ' or more' : ''} members have been changed since the import, so it cannot be undone: ${list}${blockers.length > 10 ? ', …' : ''}.`, ['id'])],
        blockers.map((b) => ({ rowNumber: b.row_number, memberId: b.member_id })),
      );
    }
    const numbers = chunk.map((r) => r.row_number);
    const updates = chunk.filter((r) => r.outcome === 'UPDATE').length;
    const restored = updates ? await runWriteStatement<{ id: string }>(this.em, sql.restoreMembersSql(), [batch.id, numbers, this.scope]) : [];
    const created = chunk.filter((r) => r.outcome === 'CREATE').map((r) => r.member_id);
    const [removal] = created.length ? await runWriteStatement<{ removed: number }>(this.em, sql.removeCreatedSql(), [batch.id, created]) : [{ removed: 0 }];
    // Cannot happen under the locks taken above; if it did, a member changed under us.
    if (restored.length !== updates || removal.removed !== created.length) {
      throw codedError('CONFLICT', 'A member of the import changed while it was undone; try again.');
    }
    const status: ImportStatus = more ? 'UNDOING' : 'UNDONE';
    await runWriteStatement(this.em, sql.stepUndoSql(), [position, status, status, reason.trim(), batch.id]);
    await runStatement(this.em, sql.recordImportSql(), [batch.id, 'UNDO', JSON.stringify({ removed: removal.removed, restored: restored.length, done: !more })]);
    return { batch: await this.batch(batch.id), userErrors: [], blockers: [] };
  }
}

/** What the register holds for a chunk's rows. */
interface RegisterMatches {
  byCard: Map<string, MemberColumnsRow>;
  byNationalId: Map<string, MemberColumnsRow>;
  /** "field:value" of numbers held outside the caller's scope. */
  elsewhere: Set<string>;
  /** Folded name and birth date → a member in scope. */
  byNameAndBirth: Map<string, string>;
}

/** What the rows before the current one hold: the first row of each number, member and name. */
class FileKeys {
  readonly cards = new Map<string, number>();
  readonly nationalIds = new Map<string, number>();
  readonly members = new Map<string, number>();
  readonly names = new Map<string, number>();
}

/** Folded name and birth date, as the register's duplicate check compares them (hoso_fold: lower case, no accents). */
function nameKey(v: Pick<ImportValues, 'fullName' | 'dateOfBirth'>): string {
  return `${v.fullName.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim()}|${v.dateOfBirth}`;
}

/** A verdict in the department's words, for the report. */
function verdictText(r: Omit<ImportRowRecord, 'values'>): string {
  switch (r.outcome) {
    case 'REFUSED':
      return (r.problems ?? []).map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join('; ');
    case 'UPDATE':
      return `Sửa hồ sơ đảng viên (mã ${r.member_id}): ${Object.entries(r.changes ?? {}).map(([c, [from, to]]) => `${headerOfColumn(c)}: ${from ?? '(trống)'} → ${to}`).join('; ')}`;
    case 'UNCHANGED':
      return `Trùng khớp hồ sơ đảng viên (mã ${r.member_id}), không có gì thay đổi`;
    case 'DUPLICATE':
      return r.duplicate_of_row
        ? `Trùng họ tên và ngày sinh với dòng ${r.duplicate_of_row} của tệp: kiểm tra lại`
        : `Trùng họ tên và ngày sinh với hồ sơ đảng viên (mã ${r.member_id}): kiểm tra lại`;
    default:
      return '';
  }
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}

/** The member row a CREATE writes (snake_case columns, as insertMembersSql reads them). */
function memberRowOf(id: string, v: ImportValues): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id,
    full_name: v.fullName,
    gender: v.gender,
    date_of_birth: v.dateOfBirth,
    joined_on: v.joinedOn,
    admission_ceremony_on: v.admissionCeremonyOn,
    official_on: v.officialOn,
    status: v.officialOn ? MemberStatus.OFFICIAL : MemberStatus.PROBATIONARY,
    unit_id: v.cellId,
    admitted_by: v.admittedBy ?? null,
  };
  for (const [field, column] of UPDATABLE) if (!(column in row)) row[column] = v[field] ?? null;
  return row;
}

/** A file the reader refused, as the coded error the caller sees; anything else goes on. */
function fileError(error: unknown): unknown {
  if (error instanceof ImportFileError) return codedError('BAD_USER_INPUT', error.message, { argument: 'file', importProblem: error.code });
  return error;
}
