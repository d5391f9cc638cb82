import {defineConfig} from 'vitest/config'

// Files that drive Chromium (Lighthouse, axe, PDF, logins): they run one at a time, after the
// other files, so that two browsers never compete for a 2-core machine.
const BROWSER = ['test/perf/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/auth/**/*.test.ts', 'test/report/picture.test.ts', 'test/docs/commands.test.ts']

export default defineConfig({
  test: {
    // Fails the run when a test wrote into the checkout (reports/, .sjt-outbox/, tracked files).
    globalSetup: ['test/helpers/checkout-guard.ts'],
    // Budgets: the slowest single test needs ≈ 40 s alone on an idle 2-core machine (test/perf);
    // a test that spawns sjt ten times needs ≈ 16 s of CPU. 180 s per test and 300 s per hook hold
    // on a loaded machine (4-10× slower); a test needing more says so itself.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    poolOptions: {forks: {maxForks: 2, minForks: 1}},
    projects: [
      {extends: true, test: {name: 'main', include: ['test/**/*.test.ts'], exclude: BROWSER, sequence: {groupOrder: 0}}},
      {extends: true, test: {name: 'browser', include: BROWSER, fileParallelism: false, sequence: {groupOrder: 1}}},
    ],
  },
})
