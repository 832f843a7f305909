export { buildApp, type AppConfig } from './app.js';
export { feedsApiEnv, loadFeedsApiConfig, type FeedsApiConfig } from './config.js';
export { figuresFromReader } from './figures.js';
export { changeLogFromStore } from './stream/store-change-log.js';
export { PROBLEMS, type Problem, type ProblemCode } from './errors.js';
export type { AppDeps, Completeness, FiguresSource, LiveFigures } from './ports.js';
export { tokenCommand, TOKEN_USAGE } from './auth/token-command.js';
export { signToken, ROLES, DEFAULT_AUDIENCE, DEFAULT_ISSUER, type Role } from './auth/tokens.js';
export { DEV_PRIVATE_JWK } from './auth/dev-key.js';
