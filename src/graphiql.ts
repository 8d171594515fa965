import path from 'node:path';
import { projectRoot } from './config';

/**
 * The GraphiQL page, served with its scripts from this package (no CDN: the department's
 * network is cut off from the Internet). Development only; production turns it off.
 */
const JS = 'text/javascript; charset=utf-8';
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: JS },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: JS },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: JS },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css; charset=utf-8' },
};

/** A file inside an installed package, found from its package.json (the UMD builds are not in "exports"). */
function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

export function graphiqlAsset(name: string): { file: string; type: string } | null {
  if (name === 'start.js') return { file: path.join(projectRoot(), 'src', 'graphiql-start.js'), type: JS };
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  return asset ? { file: packageFile(asset.pkg, asset.file), type: asset.type } : null;
}

export function graphiqlPage(): string {
  return `<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <title>Hồ sơ — GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css">
</head>
<body style="margin:0">
  <div id="graphiql" style="height:100vh"></div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script src="/graphiql/start.js"></script>
</body>
</html>`;
}
