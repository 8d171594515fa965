import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../graphql/errors';
import { DateTimeScalar } from '../graphql/scalars';
import { headerOfColumn } from './import-rules';
import type { ImportBatchRow, ImportOutcome as Outcome, ImportRowRecord, ImportStatus as Status } from './imports.service';

export enum ImportOutcome {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  UNCHANGED = 'UNCHANGED',
  DUPLICATE = 'DUPLICATE',
  REFUSED = 'REFUSED',
}
registerEnumType(ImportOutcome, {
  name: 'ImportOutcome',
  description: 'What the import does with a row of the file (kết quả kiểm tra dòng).',
  valuesConfig: {
    CREATE: { description: 'A new member record will be created (tạo mới).' },
    UPDATE: { description: 'The member matched by party card number or national ID will be corrected (cập nhật); see changes.' },
    UNCHANGED: { description: 'The member matched already has these values: nothing to do (không thay đổi).' },
    DUPLICATE: { description: 'Probably a member already recorded, or an earlier row (same name and date of birth): left out (nghi trùng).' },
    REFUSED: { description: 'Cannot be imported; see problems (bị từ chối).' },
  },
});

export enum ImportStatus {
  DRY_RUN = 'DRY_RUN',
  COMMITTING = 'COMMITTING',
  COMMITTED = 'COMMITTED',
  UNDOING = 'UNDOING',
  UNDONE = 'UNDONE',
}
registerEnumType(ImportStatus, {
  name: 'ImportStatus',
  description: 'Where an import stands (trạng thái).',
  valuesConfig: {
    DRY_RUN: { description: 'Checked, nothing written to the records yet (chạy thử).' },
    COMMITTING: { description: 'Partly written: call commitImport again to go on from committedThroughRow.' },
    COMMITTED: { description: 'Every accepted row written (đã ghi).' },
    UNDOING: { description: 'Partly undone: call undoImport again to go on (its rows are taken back from the last).' },
    UNDONE: { description: 'Reversed by undoImport (đã hoàn tác).' },
  },
});

@ObjectType({ description: 'Rows of an import per outcome.' })
export class ImportCounts {
  @Field(() => Int, { description: 'Rows that will create (or created) a member.' })
  create!: number;

  @Field(() => Int, { description: 'Rows that will correct (or corrected) a member.' })
  update!: number;

  @Field(() => Int, { description: 'Rows matching a member with nothing to change.' })
  unchanged!: number;

  @Field(() => Int, { description: 'Probable duplicates, left out.' })
  duplicate!: number;

  @Field(() => Int, { description: 'Refused rows.' })
  refused!: number;
}

@ObjectType({ description: 'Why a row is refused, naming the column of the file (cột).' })
export class ImportProblem {
  @Field({ description: 'The column’s header, as the template writes it (e.g. "Ngày sinh").' })
  column!: string;

  @Field({ description: 'What is wrong.' })
  message!: string;
}

@ObjectType({ description: 'A value an UPDATE row changes on the member.' })
export class ImportChange {
  @Field({ description: 'The column’s header (e.g. "Số điện thoại").' })
  column!: string;

  @Field(() => String, { nullable: true, description: 'The value recorded now.' })
  from!: string | null;

  @Field(() => String, { nullable: true, description: 'The value of the file.' })
  to!: string | null;
}

@ObjectType({ description: 'A data row of an imported file and its verdict (dòng dữ liệu).' })
export class ImportRow {
  @Field(() => Int, { description: 'The row’s number in the sheet, as the spreadsheet shows it.' })
  rowNumber!: number;

  @Field(() => ImportOutcome, { description: 'What the import does with it.' })
  outcome!: Outcome;

  @Field(() => ID, {
    nullable: true,
    description: 'UPDATE, UNCHANGED: the member matched; DUPLICATE: the member it probably duplicates; after the commit, CREATE: the member created.',
  })
  memberId!: string | null;

  @Field(() => Int, { nullable: true, description: 'DUPLICATE of an earlier row of the same file: that row.' })
  duplicateOfRow!: number | null;

  @Field(() => String, { nullable: true, description: 'The full name read (họ và tên), when the row could be read.' })
  fullName!: string | null;

  @Field(() => [ImportChange], { description: 'UPDATE: the values that change.' })
  changes!: ImportChange[];

  @Field(() => [ImportProblem], { description: 'REFUSED: every problem, each naming its column.' })
  problems!: ImportProblem[];
}

export function importRowOf(row: ImportRowRecord): ImportRow {
  return Object.assign(new ImportRow(), {
    rowNumber: row.row_number,
    outcome: row.outcome,
    memberId: row.member_id,
    duplicateOfRow: row.duplicate_of_row,
    fullName: row.values?.fullName ?? null,
    changes: Object.entries(row.changes ?? {}).map(([column, [from, to]]) =>
      Object.assign(new ImportChange(), { column: headerOfColumn(column), from: from === null ? null : String(from), to: to === null ? null : String(to) }),
    ),
    problems: (row.problems ?? []).map((p) => Object.assign(new ImportProblem(), p)),
  });
}

@ObjectType({ description: 'An uploaded file and its dry run, commit and undo (lô nhập dữ liệu).' })
export class ImportBatch {
  @Field(() => ID, { description: 'The import’s id.' })
  id!: string;

  /** The target unit's id, for the `unit` field. */
  unitId!: string;

  @Field({ description: 'The file’s name as uploaded.' })
  fileName!: string;

  @Field({ description: 'xlsx or csv.' })
  fileFormat!: string;

  @Field(() => String, { nullable: true, description: 'CSV: the text encoding read (utf-8, windows-1258, windows-1252).' })
  fileEncoding!: string | null;

  @Field(() => Int, { description: 'The file’s size in bytes.' })
  fileBytes!: number;

  @Field({ description: 'SHA-256 of the file, hex: the same file uploaded twice has the same.' })
  fileSha256!: string;

  @Field(() => ImportStatus, { description: 'Where the import stands.' })
  status!: Status;

  @Field(() => DateTimeScalar, { description: 'When the file was uploaded.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the last accepted row was written.' })
  committedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was undone.' })
  undoneAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The reason given to the commit (lý do), written into the history of every change.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'The reason given to the undo.' })
  undoReason!: string | null;

  @Field(() => Int, { description: 'The commit has written the accepted rows up to this row number (0: none yet).' })
  committedThroughRow!: number;

  @Field(() => ImportCounts, { description: 'Rows per outcome.' })
  counts!: ImportCounts;

  @Field(() => [String], { description: 'Headers of the file that Hồ sơ does not read (their columns are ignored).' })
  ignoredColumns!: string[];
}

export function importBatchOf(row: ImportBatchRow): ImportBatch {
  const c = row.counts ?? {};
  return Object.assign(new ImportBatch(), {
    id: row.id,
    unitId: row.unit_id,
    fileName: row.file_name,
    fileFormat: row.file_format,
    fileEncoding: row.file_encoding,
    fileBytes: Number(row.file_bytes),
    fileSha256: row.file_sha256,
    status: row.status,
    createdAt: new Date(row.created_at),
    committedAt: row.committed_at ? new Date(row.committed_at) : null,
    undoneAt: row.undone_at ? new Date(row.undone_at) : null,
    reason: row.reason,
    undoReason: row.undo_reason,
    committedThroughRow: row.position,
    counts: Object.assign(new ImportCounts(), {
      create: c.CREATE ?? 0, update: c.UPDATE ?? 0, unchanged: c.UNCHANGED ?? 0, duplicate: c.DUPLICATE ?? 0, refused: c.REFUSED ?? 0,
    }),
    ignoredColumns: row.ignored_columns ?? [],
  });
}

@ObjectType({ description: 'A member that blocks an undo: changed since the import.' })
export class ImportBlocker {
  @Field(() => Int, { description: 'The row of the file that created or corrected the member.' })
  rowNumber!: number;

  @Field(() => ID, { description: 'The member.' })
  memberId!: string;
}

@ObjectType({ description: 'Result of commitImport or undoImport.' })
export class ImportPayload {
  @Field(() => ImportBatch, { nullable: true, description: 'The import after the change; null when refused.' })
  batch!: ImportBatch | null;

  @Field(() => [UserError], { description: 'Why it was refused; empty on success. A refused call changed nothing.' })
  userErrors!: UserError[];

  @Field(() => [ImportBlocker], { description: 'undoImport refused: the members changed since the import.' })
  blockers!: ImportBlocker[];
}
