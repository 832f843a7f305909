// The machine a benchmark ran on, printed with every run and written beside every result.
import os from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** One-minute load average when the run started: above the core count, figures are depressed. */
  readonly load: number;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.platform()} ${os.release()} (${os.arch()})`,
    load: Math.round(os.loadavg()[0]! * 10) / 10,
  };
}

export function describeMachine(m: MachineInfo = machineInfo()): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}, load average ${m.load} at start`;
}
