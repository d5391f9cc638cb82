// A few hundred fuzzed manifests, configs, contracts and result documents, in-process on the
// sources (bench/fuzz.js runs ≥ 10,000 on the build and a sample through the CLI): every case is
// a result or an input error (exit 2/3), never a crash.
import {mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {readResult, runCheck} from '../../src/core/run.js'
import {buildOptions} from '../../src/cli/check.js'
import {loadConfig} from '../../src/core/config.js'
import {renderText} from '../../src/report/text.js'
import {renderMarkdown} from '../../src/report/md.js'
import {renderHtml} from '../../src/report/html.js'
import {verdictOfDocument} from '../../src/core/verdict.js'
import {SjtError} from '../../src/lib/errors.js'
// @ts-expect-error plain ESM without types
import {targets} from '../../bench/fuzz-targets.js'
import {ROOT} from '../helpers/cli.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sjt-fuzz-'))
const all = targets(fc, {runCheck, readResult, buildOptions, loadConfig, renderText, renderMarkdown, renderHtml, verdictOfDocument, SjtError}, {root: ROOT, tmp})
const RUNS: Record<string, number> = {manifest: 60, config: 150, contract: 15, result: 150}

describe('fuzzed inputs never crash', () => {
  for (const name of Object.keys(RUNS)) {
    it(`${name}: ${RUNS[name]} cases, each a result or an input error`, async () => {
      const seen = {ok: 0, 'input-error': 0}
      await fc.assert(
        fc.asyncProperty(all[name].arb, async (value: string) => {
          seen[(await all[name].run(value)) as keyof typeof seen]++
        }),
        {numRuns: RUNS[name], seed: 20_26},
      )
      // Both outcomes occur: the generator reaches past the parser and the schema.
      expect(seen.ok).toBeGreaterThan(0)
      expect(seen['input-error']).toBeGreaterThan(0)
    }, 180_000)
  }
})
