/**
 * @loom/bench: Loom's micro-benchmarks and scaling study beside TensorFlow.js and PyTorch, and
 * the reports they write.
 * @packageDocumentation
 */
export * from './stats.js';
export * from './report/types.js';
export { renderMarkdown, systemLabel } from './report/markdown.js';
export { renderJson, parseResults } from './report/json.js';
export { scalingChartSpec, renderChartSvg } from './report/chart.js';
export { writeReport, runFolderName, REPORT_FILES } from './report/write.js';
export { type Workload, WORKLOADS, parameterCount, microBatchOf, chunkCount, syntheticData } from './scaling/workloads.js';
export { type TimingProtocol, timeSteps, stepsWithinBudget } from './scaling/protocol.js';
export { type StudyConfig, preset, PEERS } from './config.js';
export { parseCli } from './args.js';
export { runStudy } from './study.js';
export { runBench, type BenchOutput } from './run.js';
