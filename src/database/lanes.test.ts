import { describe, expect, it } from 'vitest';
import { Lane, lanesFor } from './lanes';

describe('connection lanes: no kind of request can hold the whole pool', () => {
  it('a lane without waiting refuses at once when full, and admits again after a release', async () => {
    const lane = new Lane('exports', 2);
    const a = await lane.enter();
    const b = await lane.enter();
    expect(a && b).toBeTruthy();
    expect(await lane.enter()).toBeNull();
    a!();
    a!(); // releasing twice frees one place only
    expect(lane.inUse).toBe(1);
    expect(await lane.enter()).not.toBeNull();
  });

  it('a waiting lane hands a freed place to the longest waiting request, and gives up after its wait', async () => {
    const lane = new Lane('anonymous', 1, 200, 1);
    const first = (await lane.enter())!;
    const second = lane.enter();
    // The queue holds one: a third is refused at once.
    expect(await lane.enter()).toBeNull();
    first();
    const handed = await second;
    expect(handed).not.toBeNull();
    expect(lane.inUse).toBe(1);
    const started = Date.now();
    expect(await lane.enter()).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('the default pool of 10 leaves at least 3 connections to signed-in requests', () => {
    const lanes = lanesFor(10);
    expect(lanes.exports.capacity + lanes.anonymous.capacity).toBeLessThanOrEqual(7);
    expect(lanesFor(1).exports.capacity).toBe(1);
  });
});
