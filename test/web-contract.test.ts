import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Role } from '../src/access/roles';
import { can as serverCan, type Capability } from '../src/access/capabilities';
import { CAPABILITIES } from '../web/src/access';

// What keeps the staff application in step with the server it talks to.
describe('staff application contract', () => {
  it('offers each role exactly the capabilities the server grants it', () => {
    const capabilities: Capability[] = ['readRecords', 'readSensitive', 'changeRecords', 'manageUnitsAndAccounts', 'readStatistics', 'readAudit', 'importRecords'];
    expect(Object.keys(CAPABILITIES).sort()).toEqual(Object.values(Role).sort());
    for (const role of Object.values(Role)) {
      expect([...CAPABILITIES[role]!].sort(), role).toEqual(capabilities.filter((capability) => serverCan(role, capability)).sort());
    }
  });

  it('types its GraphQL documents from the committed schema (graphql-env.d.ts is not stale)', () => {
    const root = path.resolve(__dirname, '..');
    // Exits non-zero, failing this test, when schema.graphql changed without `npm run web:types`.
    execFileSync(process.execPath, [path.join(root, 'web', 'tools', 'graphql-env.mjs'), '--check'], { cwd: root, stdio: 'pipe' });
  });
});
