import { availableParallelism, cpus, hostname, loadavg, totalmem } from 'node:os';
import type { MachineInfo } from './report/types.js';

/** The machine and runtime this process runs on. */
export function machineInfo(): MachineInfo {
  return {
    host: hostname(),
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: totalmem() / 2 ** 30,
    loadAverage: loadavg()[0] ?? 0,
    node: process.versions.node,
    v8: process.versions.v8,
  };
}

/** CPU time every core of the machine has spent busy so far, in seconds (os.cpus(): user, nice, sys, irq). */
function machineBusySeconds(): number {
  let ms = 0;
  for (const cpu of cpus()) ms += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  return ms / 1000;
}

/** CPU time of this process so far (every thread, the workers included), in seconds. */
function ownBusySeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Mean cores kept busy over a stretch of time: by this process (every thread), and by every other process. */
export interface CoresUsed {
  own: number;
  others: number;
}

/**
 * Starts counting the CPU this process and the others use; the returned function gives the mean
 * number of cores each kept busy since. A figure measured while other processes took a core is
 * not comparable with one measured on a quiet machine, whatever the load average said at the
 * start; and this process's own figure shows whether its workers ran side by side (about N cores
 * for N busy workers) or took turns. The report prints both beside each of Loom's points. Only
 * this process's own threads count as its own, so `others` includes any child process (a peer).
 */
export function coresUsed(): () => CoresUsed {
  const machine0 = machineBusySeconds();
  const own0 = ownBusySeconds();
  const wall0 = performance.now();
  return () => {
    const wall = (performance.now() - wall0) / 1000;
    if (wall <= 0) return { own: 0, others: 0 };
    const own = ownBusySeconds() - own0;
    return { own: own / wall, others: Math.max(0, (machineBusySeconds() - machine0 - own) / wall) };
  };
}
