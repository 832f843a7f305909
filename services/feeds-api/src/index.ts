export { buildApp, type AppConfig } from './app.js';
export { feedsApiEnv, loadFeedsApiConfig, type FeedsApiConfig } from './config.js';
export { figuresFromReader } from './figures.js';
export { changeLogFromStore } from './stream/store-change-log.js';
export { PROBLEMS, type Problem, type ProblemCode } from './errors.js';
export type { AppDeps, Completeness, FiguresSource, LiveFigures } from './ports.js';
