import { pulseVitestConfig } from '@pulse/vitest-config';

export default pulseVitestConfig();
