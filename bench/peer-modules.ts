import Module from 'node:module';
import path from 'node:path';

/**
 * One `graphql` for the whole PostGraphile tree. PostGraphile v4 needs graphql 15; the project's
 * own graphql is 16, at the top of node_modules. npm therefore installs graphql 15 more than once
 * (under postgraphile/ and under graphile-build-pg/, each with its own graphile-build), and
 * graphql-parse-resolve-info, hoisted, takes the project's graphql 16: schema objects made by one
 * copy fail the other's `instanceof` checks ("Cannot use GraphQLScalarType "Int" from another
 * module or realm"). Imported before postgraphile (bench/peer.ts only), this sends every
 * `require('graphql…')` and `require('graphile-build…')` made from inside the PostGraphile
 * packages to the copies under postgraphile/, the ones it builds its schema with.
 */
const POSTGRAPHILE_DIR = path.dirname(require.resolve('postgraphile/package.json'));
const TREE = /[\\/]node_modules[\\/](postgraphile|postgraphile-core|postgraphile-plugin-connection-filter|graphile-build|graphile-build-pg|graphile-utils|graphql-parse-resolve-info|@graphile[\\/][^\\/]+)[\\/]/;
const REDIRECTED = /^(graphql|graphile-build)(\/.*)?$/;

type Resolve = (request: string, parent: NodeJS.Module | undefined, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
const cache = new Map<string, string>();

loader._resolveFilename = function (request, parent, ...rest) {
  if (REDIRECTED.test(request) && parent?.filename && TREE.test(parent.filename)) {
    let target = cache.get(request);
    if (!target) {
      target = require.resolve(request, { paths: [POSTGRAPHILE_DIR] });
      cache.set(request, target);
    }
    return target;
  }
  return resolve.call(this, request, parent, ...rest);
};
