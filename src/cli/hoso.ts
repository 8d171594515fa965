#!/usr/bin/env node
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { formatApiKey, hashApiKeySecret, newApiKeySecret } from '../access/api-keys';
import { hashPassword } from '../access/passwords';
import { Role } from '../access/roles';
import { ConfigError, loadConfig, projectRoot } from '../config';
import { backupEmbedded, externalDatabaseMessage, restoreEmbedded } from '../database/backup';
import { openDatabase, prepareDatabase } from '../database/database';
import { dumpFreshlyMigratedSchema } from '../database/schema-dump';
import { printAppSchema, writeQuerySnapshots } from '../app';
import { runImport } from './import';

const USAGE = `hoso <command>

  migrate                                   run pending migrations (owner role)
  seed                                      migrate, then load the demo seed into an empty database
  create-account --username U --password P --role ROLE --unit CODE
                                            create an account (roles: ${Object.values(Role).join(', ')})
  create-api-key --role ROLE --unit CODE [--name NAME]
                                            create an API key for a reporting tool (printed once)
  verify-audit                              recompute the audit hash chain; exit 1 and name the first broken event
  backup <file>                             online backup of the embedded database into a new .tar.gz file
  restore <file>                            replace the embedded database with a backup (stop the server first;
                                            the current one is kept as pg.before-restore-<time> in the data folder)
  emit-schema                               write schema.graphql from the code, and db/schema.sql from the
                                            migrations (run on a temporary embedded PostgreSQL)
  import <file> --unit CODE --dry-run [--as USERNAME] [--encoding windows-1258|windows-1252|utf-8]
                                            check a spreadsheet of members (XLSX or CSV) into a new import;
                                            nothing is written to the records
  import --commit ID --reason TEXT [--as USERNAME]
                                            write the rows the dry run accepted, chunk by chunk
  import --undo ID --reason TEXT [--as USERNAME]
                                            reverse a committed import while its members are unchanged
  emit-queries                              write the snapshots of the features' hot SQL (src/*/*.queries.sql)

The database is DATABASE_URL / MIGRATION_DATABASE_URL, or the embedded one in HOSO_DATA_DIR.`;

function option(args: string[], name: string): string {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? args[index + 1] : undefined;
  if (!value) throw new ConfigError(`--${name} is required.\n\n${USAGE}`);
  return value;
}

const log = (line: string) => console.log(line);

/**
 * Why no account or API key was created for the unit with this code: there is no such unit, or
 * it has ended. An ended unit (dissolved, merged, split) keeps its row and its code, so without
 * this the insert would succeed and scope the new account or key to a unit that has no members
 * any more. The inserts themselves take only a current unit (`valid_to is null`), in the same
 * statement, so a unit ending meanwhile cannot slip through; this only explains the refusal.
 */
async function unitRefusal(client: Client, code: string, what: string): Promise<ConfigError> {
  const { rows } = await client.query<{ name: string; valid_to: string | null }>(
    `select name, valid_to::text from org_unit where code = $1`,
    [code],
  );
  if (!rows.length) return new ConfigError(`No unit with code ${code}.`);
  if (rows[0].valid_to) {
    return new ConfigError(`Unit ${code} (${rows[0].name}) ended on ${rows[0].valid_to}: ${what} can only be created for a current unit.`);
  }
  return new ConfigError(`Unit ${code} changed while the command ran; try again.`);
}

async function withDatabase<T>(work: (ownerUrl: string) => Promise<T>): Promise<T> {
  const target = await openDatabase(loadConfig(), log);
  try {
    return await work(target.ownerUrl);
  } finally {
    await target.stop();
  }
}

async function run(command: string | undefined, args: string[]): Promise<void> {
  switch (command) {
    case 'emit-schema': {
      const file = path.join(projectRoot(), 'schema.graphql');
      fs.writeFileSync(file, printAppSchema());
      log(`wrote ${file}`);
      const sqlFile = path.join(projectRoot(), 'db', 'schema.sql');
      fs.mkdirSync(path.dirname(sqlFile), { recursive: true });
      fs.writeFileSync(sqlFile, await dumpFreshlyMigratedSchema(log));
      log(`wrote ${sqlFile}`);
      return;
    }
    case 'emit-queries':
      for (const file of writeQuerySnapshots()) log(`wrote ${file}`);
      return;
    case 'migrate':
      return withDatabase(async (ownerUrl) => {
        await prepareDatabase({ ownerUrl }, { demoSeed: false, demoMembers: 0 }, log);
      });
    case 'seed': {
      const config = loadConfig();
      return withDatabase(async (ownerUrl) => {
        const { seeded } = await prepareDatabase({ ownerUrl }, { demoSeed: true, demoMembers: config.demoMembers }, log);
        if (!seeded) log('The database is not empty: the demo seed only loads into an empty one.');
      });
    }
    case 'create-account': {
      const username = option(args, 'username').toLowerCase();
      const password = option(args, 'password');
      const role = option(args, 'role') as Role;
      const unit = option(args, 'unit');
      if (!Object.values(Role).includes(role)) throw new ConfigError(`--role must be one of ${Object.values(Role).join(', ')}.`);
      if (password.length < 10) throw new ConfigError('--password must be at least 10 characters.');
      return withDatabase(async (ownerUrl) => {
        const client = new Client({ connectionString: ownerUrl });
        await client.connect();
        try {
          const { rowCount } = await client.query(
            `insert into account (username, password_hash, role, unit_id)
             select $1, $2, $3, id from org_unit where code = $4 and valid_to is null`,
            [username, await hashPassword(password), role, unit],
          );
          if (!rowCount) throw await unitRefusal(client, unit, 'an account');
          log(`Created ${role} account ${username} for ${unit}.`);
        } finally {
          await client.end();
        }
      });
    }
    case 'import': {
      const config = loadConfig();
      const target = await openDatabase(config, log);
      try {
        return await runImport(config, target, args, log);
      } finally {
        await target.stop();
      }
    }
    case 'verify-audit':
      return withDatabase(async (ownerUrl) => {
        const client = new Client({ connectionString: ownerUrl });
        await client.connect();
        try {
          const started = Date.now();
          const { rows } = await client.query<{ broken_id: string | null; problem: string | null; events: string; head: Buffer | null }>(
            'select broken_id::text, problem, events, head from hoso_verify_audit()',
          );
          const { broken_id, problem, events, head } = rows[0];
          const took = `${Date.now() - started} ms`;
          if (broken_id) {
            console.error(`Audit chain BROKEN at event ${broken_id}: ${problem} (${events} events checked in ${took}).`);
            process.exitCode = 1;
          } else {
            log(`Audit chain intact: ${events} events in ${took}. Head: ${head ? head.toString('hex') : '(empty)'}`);
          }
        } finally {
          await client.end();
        }
      });
    case 'backup':
    case 'restore': {
      const file = args[0];
      if (!file || file.startsWith('--')) throw new ConfigError(`hoso ${command} <file>: the archive file is required.\n\n${USAGE}`);
      const config = loadConfig();
      if (config.databaseUrl) throw new ConfigError(externalDatabaseMessage(command));
      // Under `npm run hoso`, a relative path means relative to where the command was typed.
      const resolved = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
      const options = { dataDir: config.dataDir, port: config.embeddedPgPort, log };
      if (command === 'backup') {
        await backupEmbedded(resolved, options);
        return;
      }
      const { audit } = await restoreEmbedded(resolved, options);
      if (!audit) log('No hoso database in the restored cluster: nothing to verify.');
      else if (audit.ok) log(`Audit chain intact: ${audit.events} events. Head: ${audit.head ?? '(empty)'}`);
      else {
        console.error(`Audit chain BROKEN at event ${audit.brokenId}: ${audit.problem} (${audit.events} events checked).`);
        process.exitCode = 1;
      }
      return;
    }
    case 'create-api-key': {
      const role = option(args, 'role') as Role;
      const unit = option(args, 'unit');
      const nameIndex = args.indexOf('--name');
      const name = nameIndex >= 0 && args[nameIndex + 1] ? args[nameIndex + 1] : `${role} ${unit}`;
      if (!Object.values(Role).includes(role)) throw new ConfigError(`--role must be one of ${Object.values(Role).join(', ')}.`);
      return withDatabase(async (ownerUrl) => {
        const client = new Client({ connectionString: ownerUrl });
        await client.connect();
        try {
          const secret = newApiKeySecret();
          const { rows } = await client.query<{ id: string }>(
            `insert into api_key (name, secret_hash, role, unit_id)
             select $1, $2, $3, id from org_unit where code = $4 and valid_to is null returning id::text`,
            [name, hashApiKeySecret(secret), role, unit],
          );
          if (!rows.length) throw await unitRefusal(client, unit, 'an API key');
          log(`Created API key ${rows[0].id} (${role}, ${unit}). It is shown only now:\n\n  ${formatApiKey(rows[0].id, secret)}\n`);
        } finally {
          await client.end();
        }
      });
    }
    default:
      console.log(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

run(process.argv[2], process.argv.slice(3)).catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
