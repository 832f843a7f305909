export { default } from '@pulse/eslint-config';
