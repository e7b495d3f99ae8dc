import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/index.js', import.meta.url).href;

/** Whether this process runs on glibc, the C library whose malloc keepFreedHeap tunes. */
const glibc =
  process.platform === 'linux' &&
  Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
const notice = glibc ? 'glibc' : "NOT glibc — skipped: there is no malloc of glibc's to tune here";

interface Probe {
  status: number | null;
  stderr: string;
  outcome?: unknown;
  /** Of twenty 1 MiB blocks, how many malloc served from fresh mappings. */
  mapped?: number;
  /** Free bytes malloc kept at the top of its heap once the twenty were freed (mallinfo2's keepcost). */
  kept?: number;
}

/**
 * In a fresh process (malloc's settings are the process's) under LOOM_MALLOC=`malloc`: calls
 * keepFreedHeap as the first move out does, then mallocs and frees twenty 1 MiB blocks through
 * libc itself and reports where malloc put them and what it kept once they were freed.
 */
function probe(malloc: string, startEnv: Record<string, string> = {}): Probe {
  const code = `
    import { createRequire } from 'node:module';
    const L = await import(${JSON.stringify(dist)});
    const koffi = createRequire(${JSON.stringify(dist)})('koffi');
    const libc = koffi.load('libc.so.6');
    const fields = ['arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks', 'fsmblks', 'uordblks', 'fordblks', 'keepcost'];
    const info = koffi.struct('mallinfo2', Object.fromEntries(fields.map((k) => [k, 'size_t'])));
    const mallinfo2 = libc.func('mallinfo2', info, []);
    const malloc = libc.func('malloc', 'void *', ['size_t']);
    const free = libc.func('free', 'void', ['void *']);
    const outcome = L.keepFreedHeap();
    const before = mallinfo2();
    const blocks = Array.from({ length: 20 }, () => malloc(1 << 20));
    const held = mallinfo2();
    for (const block of blocks) free(block);
    const after = mallinfo2();
    console.log(JSON.stringify({ outcome, mapped: Number(held.hblks - before.hblks), kept: Number(after.keepcost) }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { ...process.env, ...startEnv, LOOM_MALLOC: malloc },
  });
  return { status: r.status, stderr: r.stderr, ...(r.status === 0 ? (JSON.parse(r.stdout) as Probe) : {}) };
}

describe(`copies moved out of the shared memory land in pages malloc kept (${notice})`, () => {
  it.skipIf(!glibc)('LOOM_MALLOC=keep (the default): blocks up to 32 MiB come from the heap, which keeps what is freed', () => {
    const keep = probe('keep');
    expect(keep.status, keep.stderr).toBe(0);
    expect(keep.outcome).toEqual({ applied: true });
    expect(keep.mapped).toBe(0);
    expect(keep.kept).toBeGreaterThanOrEqual(20 * 2 ** 20);
  });

  it.skipIf(!glibc)("LOOM_MALLOC=leave: malloc keeps glibc's settings (1 MiB blocks mapped afresh, freed pages given back)", () => {
    const leave = probe('leave');
    expect(leave.status, leave.stderr).toBe(0);
    expect(leave.outcome).toEqual({ applied: false, reason: 'LOOM_MALLOC=leave' });
    expect(leave.mapped).toBe(20);
    expect(leave.kept).toBeLessThan(2 ** 20);
  });

  it.skipIf(!glibc)(
    'keptHeapEnvironment() starts a process with the same heap, from glibc itself (what apps/bench gives its peers)',
    async () => {
      const { keptHeapEnvironment } = (await import(dist)) as typeof import('../src/index.js');
      const startEnv = keptHeapEnvironment();
      expect(Object.keys(startEnv).sort()).toEqual(['MALLOC_MMAP_THRESHOLD_', 'MALLOC_TOP_PAD_', 'MALLOC_TRIM_THRESHOLD_']);
      // LOOM_MALLOC=leave: Loom itself calls no mallopt, so only the start-up environment acts.
      const started = probe('leave', startEnv);
      expect(started.status, started.stderr).toBe(0);
      expect(started.outcome).toEqual({ applied: false, reason: 'LOOM_MALLOC=leave' });
      expect(started.mapped).toBe(0);
      expect(started.kept).toBeGreaterThanOrEqual(20 * 2 ** 20);
    },
  );

  it('LOOM_MALLOC takes keep or leave and names them otherwise', () => {
    const bad = probe('sometimes');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("LOOM_MALLOC must be 'keep' or 'leave', not 'sometimes'");
  });
});
