import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Coalescer } from "../../src/coalesce";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Coalescer", () => {
  it("makes one run of a burst of requests", async () => {
    let runs = 0;
    const c = new Coalescer(async () => {
      runs++;
    }, 10);
    await Promise.all([c.request(), c.request(), c.request(), c.request(), c.request()]);
    assert.equal(runs, 1);
  });

  it("runs exactly once more for any number of requests made during a run", async () => {
    let runs = 0;
    let release!: () => void;
    const c = new Coalescer(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    }, 5);
    const first = c.request();
    await tick(20); // the first run is in progress
    assert.equal(runs, 1);
    const later = [c.request(), c.request(), c.request()];
    release();
    await first;
    await Promise.all(later);
    assert.equal(runs, 2);
  });

  it("rejects the waiters of a failed run and keeps working", async () => {
    let fail = true;
    const c = new Coalescer(async () => {
      if (fail) throw new Error("boom");
    }, 1);
    await assert.rejects(c.request(), /boom/);
    fail = false;
    await c.request();
  });

  it("whenIdle waits for a pending run without asking for another", async () => {
    let runs = 0;
    const c = new Coalescer(async () => {
      runs++;
      await tick(10);
    }, 5);
    void c.request();
    assert.equal(c.busy, true);
    await c.whenIdle();
    assert.equal(c.busy, false);
    await c.whenIdle();
    assert.equal(runs, 1);
  });

  it("resolves waiters on dispose and ignores later requests", async () => {
    let runs = 0;
    const c = new Coalescer(async () => {
      runs++;
    }, 50);
    const pending = c.request();
    c.dispose();
    await pending;
    await c.request();
    assert.equal(runs, 0);
  });
});
