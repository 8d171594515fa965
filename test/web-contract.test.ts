import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Role } from '../src/access/roles';
import { can as serverCan, type Capability } from '../src/access/capabilities';
import { CAPABILITIES } from '../web/src/access';
import { STATUS_TRANSITIONS } from '../src/members/lifecycle';
import { CAUSES_BY_STATUS, DEPARTURE_CAUSE_TERMS } from '../src/members/departure';
import * as lifecycleScreen from '../web/src/screens/transfers/labels';

// What keeps the staff application in step with the server it talks to.
describe('staff application contract', () => {
  it('offers each role exactly the capabilities the server grants it', () => {
    const capabilities: Capability[] = ['readRecords', 'readSensitive', 'changeRecords', 'manageUnitsAndAccounts', 'readStatistics', 'readAudit', 'importRecords'];
    expect(Object.keys(CAPABILITIES).sort()).toEqual(Object.values(Role).sort());
    for (const role of Object.values(Role)) {
      expect([...CAPABILITIES[role]!].sort(), role).toEqual(capabilities.filter((capability) => serverCan(role, capability)).sort());
    }
  });

  it('offers the status changes and departure causes the register accepts, under the register’s own terms', () => {
    // The lifecycle screen shows only the actions the API would accept; a rule changed on the
    // server (src/members/lifecycle.ts, departure.ts) without the screen fails here.
    const serverTransitions = Object.fromEntries(Object.entries(STATUS_TRANSITIONS).filter(([, to]) => to.length > 0));
    expect(lifecycleScreen.STATUS_TRANSITIONS).toEqual(serverTransitions);
    expect(lifecycleScreen.CAUSES_BY_STATUS).toEqual(CAUSES_BY_STATUS);
    for (const [cause, term] of Object.entries(DEPARTURE_CAUSE_TERMS)) {
      expect(lifecycleScreen.CAUSE_LABELS[cause], cause).toContain(term.split(' — ')[0]!.replace(/\.$/, ''));
    }
  });

  it('types its GraphQL documents from the committed schema (graphql-env.d.ts is not stale)', () => {
    const root = path.resolve(__dirname, '..');
    // Exits non-zero, failing this test, when schema.graphql changed without `npm run web:types`.
    execFileSync(process.execPath, [path.join(root, 'web', 'tools', 'graphql-env.mjs'), '--check'], { cwd: root, stdio: 'pipe' });
  });
});
