import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { pipeline } from 'node:stream';
import { projectRoot } from '../config';

/**
 * The staff application (web/, built by `npm run build` into dist/web) served at `/`.
 *
 * Its policy allows nothing but this server: scripts and styles from files here (no inline
 * script, so an injected `<script>` or `onerror=` does not run), requests only back to this
 * origin, no frames around it. The department's network has no Internet, and the page needs none.
 */
export const STAFF_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'content-security-policy': STAFF_APP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** dist/web, or HOSO_WEB_DIR (a build elsewhere, e.g. a developer's `vite build --outDir`). */
function builtDir(): string {
  return process.env.HOSO_WEB_DIR || path.join(projectRoot(), 'dist', 'web');
}

/** Answers `/` and `/assets/…`; false for any other path. */
export function answerStaffApp(pathname: string, res: http.ServerResponse): boolean {
  if (pathname === '/' || pathname === '/index.html') {
    const file = path.join(builtDir(), 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('The staff application is not built: run `npm run build`.\n');
      return true;
    }
    // The page names its hashed assets, so it must never be cached past a deployment.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...SECURITY_HEADERS });
    send(file, res);
    return true;
  }
  if (!pathname.startsWith('/assets/')) return false;
  const name = pathname.slice('/assets/'.length);
  // Built names only (index-D_GOGqxf.js): no path separators, no dot-dot.
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) return false;
  const file = path.join(builtDir(), 'assets', name);
  const type = TYPES[path.extname(name)];
  if (!type || !fs.existsSync(file)) return false;
  // Content-hashed names never change meaning: cache them for a year.
  res.writeHead(200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable', ...SECURITY_HEADERS });
  send(file, res);
  return true;
}

/** A file gone between the check and the read (a rebuild under a running server) cuts this answer, never the server. */
function send(file: string, res: http.ServerResponse): void {
  pipeline(fs.createReadStream(file), res, (error) => {
    if (error) res.destroy();
  });
}
