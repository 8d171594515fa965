import { describe, expect, it } from 'vitest';
import {
  uncoveredFields,
} from './support/matrix-world';
import {
  uncoveredRoots,
} from './support/matrix-roots';

/**
 * The access matrix (docs/access.md), generated: the oracle knows every field and root field the
 * schema declares. One of the topic files test/access-matrix-*.test.ts, each on its own world
 * (accounts per role and unit, sign-ins, targets, API keys) built by test/support/matrix-world.ts;
 * the oracle is test/support/matrix.ts, the root-field calls test/support/matrix-roots.ts.
 */

describe('access matrix (docs/access.md), generated from the schema', () => {
  describe('the oracle knows every field the schema declares', () => {
    // A new field or root field is closed by default in permissions.ts; it must also get a
    // rule here, or the matrix would silently stop covering it.
    it('every field of Member, OrgUnit and Account can be selected by the matrix', () => {
      expect(uncoveredFields).toEqual([]);
    });
    it('every root Query field has a way to call it in the matrix', () => {
      expect(uncoveredRoots).toEqual([]);
    });
  });
});
