// What the bundles get for zod's `locales` namespace (scripts/build.mjs): English only. The agent words its
// messages itself (main/core/error-reasons.ts) and zod runs with its default English; the other locales were
// about 360 KB of every start-up read and compile.
export { default as en } from 'zod/v4/locales/en.js';
