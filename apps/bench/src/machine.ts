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

/**
 * Starts counting the CPU that other processes use; the returned function gives the mean number
 * of cores they kept busy since. A figure measured while other processes took a core is not
 * comparable with one measured on a quiet machine, whatever the load average said at the start:
 * this is what the report prints beside each of Loom's points. Only this process's own threads
 * are subtracted, so it is meaningful while no child process (a peer) runs.
 */
export function otherProcessesLoad(): () => number {
  const machine0 = machineBusySeconds();
  const own0 = ownBusySeconds();
  const wall0 = performance.now();
  return () => {
    const wall = (performance.now() - wall0) / 1000;
    const others = machineBusySeconds() - machine0 - (ownBusySeconds() - own0);
    return wall > 0 ? Math.max(0, others / wall) : 0;
  };
}
