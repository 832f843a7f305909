import { pulseVitestConfig } from '@pulse/vitest-config';

export default pulseVitestConfig({ test: { globalSetup: ['@pulse/testkit/global-setup'] } });
