import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { otherProcessesLoad } from '../src/machine.js';

describe('otherProcessesLoad', () => {
  it("counts the core another process kept busy", async () => {
    const load = otherProcessesLoad();
    // Another process spins for 800 ms while this one mostly waits for it.
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 800; while (Date.now() < end);']);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(load()).toBeGreaterThan(0.3);
  });
});
