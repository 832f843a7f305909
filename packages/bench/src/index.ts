export { measure, lastResult, type MeasureOptions, type Measurement } from './measure.js';
export { machineInfo, describeMachine, type MachineInfo } from './machine.js';
export {
  alignTables,
  findRepoRoot,
  formatNumber,
  markdownTable,
  renderSection,
  upsertSection,
  writeSection,
  type Section,
} from './report.js';
