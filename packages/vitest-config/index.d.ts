import type { UserConfig } from 'vitest/config';

/** The shared Vitest preset merged with a workspace's overrides. */
export function pulseVitestConfig(overrides?: UserConfig): UserConfig;
