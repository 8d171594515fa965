// Writes web/src/graphql-env.d.ts, the types gql.tada reads to type every GraphQL document
// of the staff application, from the committed schema.graphql (run after `npm run schema`).
// `--check` fails when the committed file is stale, so a schema change cannot leave the client behind.
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { minifyIntrospection, outputIntrospectionFile } from '@gql.tada/internal';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const target = path.join(root, 'web', 'src', 'graphql-env.d.ts');
const schema = buildSchema(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
const text = outputIntrospectionFile(minifyIntrospection(introspectionFromSchema(schema)), {
  fileType: '.d.ts',
  shouldPreprocess: true,
});
if (process.argv.includes('--check')) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (committed !== text) {
    console.error('web/src/graphql-env.d.ts is stale: run `npm run web:types`.');
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, text);
}
