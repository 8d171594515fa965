import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { queryExamples as importQueries } from '../imports';
import { queryExamples as memberQueries } from '../members';
import { queryExamples as unitQueries, reorganisationQueryExamples } from '../units';
import { preloads } from './features';

/**
 * The committed snapshots of the SQL the features send on their hot reads, one file beside each
 * queries file (as `<feature>.queries.sql`). `npm run queries` writes them; a test checks that
 * they match the code, so a change of SQL shows in review.
 */
const SNAPSHOTS: { file: string; examples: () => { name: string; text: string }[] }[] = [
  { file: 'src/members/members.queries.sql', examples: () => memberQueries(preloads) },
  { file: 'src/units/units.queries.sql', examples: () => unitQueries() },
  { file: 'src/units/reorganisation.queries.sql', examples: () => reorganisationQueryExamples() },
  { file: 'src/imports/imports.queries.sql', examples: () => importQueries() },
];

/** The text as PostgreSQL receives it: `?` placeholders numbered, as the driver sends them. */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** Every example statement of the snapshots, as PostgreSQL receives it, with its file. */
export function queryExampleStatements(): { file: string; name: string; text: string }[] {
  return SNAPSHOTS.flatMap(({ file, examples }) => examples().map((e) => ({ file, name: e.name, text: numbered(e.text) })));
}

/** Each snapshot file (relative to the project) with the content the code gives it. */
export function querySnapshots(): { file: string; content: string }[] {
  const statements = queryExampleStatements();
  return SNAPSHOTS.map(({ file }) => ({
    file,
    content:
      `-- Written by \`npm run queries\` from ${file.replace(/\.sql$/, '.ts')}: do not edit; a test compares.\n\n` +
      statements
        .filter((s) => s.file === file)
        .map((s) => `-- ${s.name}\n${s.text};\n`)
        .join('\n'),
  }));
}

/** Writes every snapshot; returns the files written. */
export function writeQuerySnapshots(): string[] {
  return querySnapshots().map(({ file, content }) => {
    const full = path.join(projectRoot(), file);
    fs.writeFileSync(full, content);
    return full;
  });
}
