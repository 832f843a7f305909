// The service kit: what every deployable process shares. A new service is its own routes or
// loop, plus:
//   runMain('name', async ({ onClose, useLogger }) => { ...; return outcome })
//   const app = await createServiceApp({ logger }); await app.register(operations, {...})
export { createServiceApp, type ServiceAppOptions } from './app.js';
export { default as gracefulConnections } from './connections.js';
export { default as operations, type OperationsOptions } from './operations.js';
export { readiness, type CheckResult, type Readiness, type ReadinessCheck } from './readiness.js';
export { runMain, type MainContext, type MainOutcome, type RunMainOptions } from './run-main.js';
export { isPulseError, PulseError, type PulseErrorOptions } from '@pulse/errors';
