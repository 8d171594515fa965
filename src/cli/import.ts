import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { AppServices } from '../access/context';
import { inRequestTransaction } from '../access/request-transaction';
import { Role } from '../access/roles';
import { createRequestContext, entities, preloads } from '../app';
import { systemClock } from '../clock';
import { ConfigError, type Config } from '../config';
import { openOrm } from '../database/orm';
import { mutation } from '../graphql/mutation';
import { historyReason, type ImportBatchRow } from '../imports';
import { newRequestRecord } from '../observability/request-context';
import { buildStatisticsWeek } from '../reports';

/**
 * `hoso import <file> --unit CODE (--dry-run | --commit ID --reason TEXT | --undo ID --reason TEXT) [--as USERNAME] [--encoding E]`
 *
 * The first load of a whole city, from a terminal: the same service as POST /imports and
 * commitImport, as an account (its role and scope apply, and the history names it), on the API
 * role's connection (row-level security binds it as it binds the API). A commit goes on chunk by
 * chunk, each its own transaction, until the batch is committed; interrupted, it goes on from
 * where it stopped when run again.
 */
export async function runImport(config: Config, urls: { apiUrl: string; ownerUrl: string }, args: string[], log: (line: string) => void): Promise<void> {
  const value = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const unitCode = value('unit');
  const commitId = value('commit');
  const undoId = value('undo');
  const reason = value('reason');
  const dryRun = args.includes('--dry-run');
  if ([dryRun, Boolean(commitId), Boolean(undoId)].filter(Boolean).length !== 1) {
    throw new ConfigError('hoso import: give one of --dry-run <file> --unit CODE, --commit ID --reason TEXT, --undo ID --reason TEXT.');
  }
  if (!dryRun && !reason) throw new ConfigError('hoso import: --reason is required to commit or undo (it is kept in the history).');

  // Who runs it: the account named, or the city administrator whose scope holds the unit.
  const owner = new Client({ connectionString: urls.ownerUrl });
  await owner.connect();
  let account: { id: string; username: string; unit_id: string } | undefined;
  let unitId: string | undefined;
  try {
    const asUser = value('as');
    // Committing or undoing: the import's own unit, for the default account.
    const batchId = commitId ?? undoId;
    const unitOf = batchId
      ? (await owner.query<{ code: string }>(`select u.code from import_batch b join org_unit u on u.id = b.unit_id where b.id::text = $1`, [batchId])).rows[0]?.code
      : unitCode;
    if (batchId && !unitOf) throw new ConfigError(`No import ${batchId}.`);
    const { rows } = await owner.query<{ id: string; username: string; unit_id: string }>(
      asUser
        ? `select a.id::text, a.username, a.unit_id::text from account a where a.username = $1 and a.active`
        : `select a.id::text, a.username, a.unit_id::text from account a join org_unit s on s.id = a.unit_id
            where a.role = '${Role.CITY_ADMIN}' and a.active
              and exists (select 1 from org_unit u where u.code = $1 and u.path <@ s.path)
            order by nlevel(s.path), a.username limit 1`,
      [asUser ?? unitOf?.toUpperCase() ?? ''],
    );
    account = rows[0];
    if (!account) throw new ConfigError(asUser ? `No active account ${asUser}.` : `No active CITY_ADMIN account whose scope holds ${unitOf ?? '(no --unit given)'}: name one with --as.`);
    if (unitCode) {
      const unit = await owner.query<{ id: string }>(`select id::text from org_unit where code = $1`, [unitCode.toUpperCase()]);
      unitId = unit.rows[0]?.id;
      if (!unitId) throw new ConfigError(`No unit with code ${unitCode}.`);
    }
  } finally {
    await owner.end();
  }
  log(`Running as ${account.username}.`);

  const orm = await openOrm(urls.apiUrl, 2, entities);
  const app = { config, clock: systemClock, preloads } as unknown as AppServices;
  const inRequest = <T>(work: (services: ReturnType<typeof createRequestContext>) => Promise<T>) => {
    const record = newRequestRecord(`cli-import-${process.pid}-${Date.now()}`, null);
    return inRequestTransaction(orm, { credential: { kind: 'account', id: account!.id }, record, today: app.clock.today(), isolation: 'read committed' }, (em, entered) =>
      work(createRequestContext(em, entered, record, 'cli', app)),
    );
  };
  try {
    if (dryRun) {
      const file = args.find((a, i) => i > 0 && !a.startsWith('--') && !args[i - 1].startsWith('--')) ?? args[0];
      if (!file || file.startsWith('--')) throw new ConfigError('hoso import --dry-run <file>: the file is required.');
      if (!unitId) throw new ConfigError('hoso import --dry-run: --unit CODE is required.');
      const full = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
      const bytes = fs.readFileSync(full);
      const started = Date.now();
      const batch = await inRequest((ctx) =>
        ctx.services.imports.dryRun(bytes, { unitId: unitId!, fileName: path.basename(full), encoding: value('encoding') as never }),
      );
      log(summary(batch, `Dry run of ${path.basename(full)} in ${((Date.now() - started) / 1000).toFixed(1)} s`));
      log(`Review it (importBatch(id: "${batch.id}") or GET /imports/${batch.id}/report.xlsx), then: hoso import --commit ${batch.id} --reason "…"`);
      return;
    }
    const id = (commitId ?? undoId)!;
    const started = Date.now();
    for (;;) {
      const result = await inRequest((ctx) =>
        mutation(ctx.em, { batch: null, blockers: [] }, (em) => (commitId ? ctx.servicesOn(em).imports.commit(id, reason!) : ctx.servicesOn(em).imports.undo(id, reason!)), historyReason(id, reason!, commitId ? 'Import' : 'Undo of import'), { sqlOnly: true }),
      );
      if (result.userErrors.length) {
        for (const error of result.userErrors) console.error(error.message);
        process.exitCode = 1;
        return;
      }
      const batch = result.batch!;
      if (batch.status !== 'COMMITTING' && batch.status !== 'UNDOING') {
        log(summary(batch, `${commitId ? 'Committed' : 'Undone'} in ${((Date.now() - started) / 1000).toFixed(1)} s`));
        // A load marks the statistics' weeks stale (migration 33); rebuilt now rather than by the
        // server's hourly pass, so reports are fast again when the load is done.
        // One week per transaction, as the server's pass builds them; if that fails, the
        // server's hourly pass finishes the job (reports stay exact).
        const weeksStarted = Date.now();
        let weeks = 0;
        try {
          for (;;) {
            const built = await buildStatisticsWeek(orm);
            if (built === 0) break;
            weeks += built;
          }
        } catch (error) {
          log(`Statistics: ${weeks} weeks rebuilt, then stopped (${(error as Error).message.split('\n').pop()}); the server's hourly pass finishes them.`);
          return;
        }
        if (weeks) log(`Statistics: ${weeks} weeks rebuilt in ${((Date.now() - weeksStarted) / 1000).toFixed(1)} s.`);
        return;
      }
      log(commitId ? `… committed through row ${batch.position}` : `… undone back to row ${batch.position + 1}`);
    }
  } finally {
    await orm.close(true);
  }
}

function summary(batch: ImportBatchRow, what: string): string {
  const c = batch.counts;
  return `${what}: import ${batch.id}, ${batch.status}. Create ${c.CREATE ?? 0}, update ${c.UPDATE ?? 0}, unchanged ${c.UNCHANGED ?? 0}, duplicate ${c.DUPLICATE ?? 0}, refused ${c.REFUSED ?? 0}.`;
}
