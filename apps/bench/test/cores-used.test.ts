import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { coresUsed } from '../src/machine.js';

describe('coresUsed', () => {
  it("counts the core another process kept busy as others', not this process's", async () => {
    const used = coresUsed();
    // Another process spins for 800 ms while this one mostly waits for it.
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 800; while (Date.now() < end);']);
    await new Promise((resolve) => child.on('exit', resolve));
    const { own, others } = used();
    expect(others).toBeGreaterThan(0.3);
    // This process only waited for the child.
    expect(own).toBeLessThan(others);
  });
});
