import { pulseVitestConfig } from '@pulse/vitest-config';

// One Redis per run from @pulse/testkit (REDIS_URL when set, else one it starts and stops).
export default pulseVitestConfig({ test: { globalSetup: ['@pulse/testkit/global-setup'] } });
