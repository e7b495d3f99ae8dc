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
