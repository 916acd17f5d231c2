// Replaced at build time by scripts/build.mjs (and by vitest.config.ts in tests) with package.json's version.
declare const __TILL_VERSION__: string | undefined;

export const AGENT_VERSION: string = typeof __TILL_VERSION__ === 'string' ? __TILL_VERSION__ : '0.0.0-dev';
