import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../config';
import { querySnapshots } from './queries';

describe('the committed SQL snapshots', () => {
  it.each(querySnapshots().map((s) => [s.file, s.content] as const))('%s is what the code sends (npm run queries rewrites it)', (file, content) => {
    const committed = fs.readFileSync(path.join(projectRoot(), file), 'utf8');
    expect(committed).toBe(content);
  });
});
