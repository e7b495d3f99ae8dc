import { describe, expect, it } from 'vitest';
import { SIGNAL_INTERVAL_MS, StepRing } from '../src/protocol/step-ring.js';

/** Publishes steps [from, to) of a run as the last worker to finish each does. */
function publish(ring: StepRing, from: number, to: number, gated: boolean): void {
  for (let k = from; k < to; k++) {
    ring.writeWorker(k, 0, 1, 0, 0, 0);
    ring.writeStep(k, k, 0.5, 0.1, 0);
    ring.publish(k, gated);
  }
}

describe('StepRing wakes the main thread a few times per ring, not once per step', () => {
  it('an ungated run moves EVENTS when the ring is half full, and every step is still published in order', () => {
    const ring = StepRing.create(64, 1);
    ring.reset();
    const events = ring.events;
    publish(ring, 0, 31, false);
    expect(ring.events).toBe(events); // 31 steps unread: no wake-up yet
    expect(ring.published).toBe(31);
    publish(ring, 31, 32, false);
    expect(ring.events).toBe(events + 1); // 32 unread = half of 64
    // The main thread reads them all; the next 31 again wait, the 32nd wakes it.
    for (let k = 0; k < 32; k++) expect(ring.read(k).step).toBe(k);
    ring.consume(32);
    publish(ring, 32, 63, false);
    expect(ring.events).toBe(events + 1);
    publish(ring, 63, 64, false);
    expect(ring.events).toBe(events + 2);
  });

  it(`an ungated step published ${SIGNAL_INTERVAL_MS} ms after the last wake-up wakes the main thread`, async () => {
    const ring = StepRing.create(64, 1);
    ring.reset();
    const events = ring.events;
    publish(ring, 0, 1, false);
    expect(ring.events).toBe(events);
    await new Promise((resolve) => setTimeout(resolve, SIGNAL_INTERVAL_MS + 5));
    publish(ring, 1, 2, false);
    expect(ring.events).toBe(events + 1);
  });

  it('a gated run (an abort signal: each step consumed before the next commits) wakes it for every step', () => {
    const ring = StepRing.create(64, 1);
    ring.reset();
    const events = ring.events;
    for (let k = 0; k < 5; k++) {
      publish(ring, k, k + 1, true);
      expect(ring.events).toBe(events + k + 1);
      ring.consume(k + 1);
    }
  });
});
