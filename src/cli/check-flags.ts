// Flags common to `sjt check` and `sjt check <category>` (spec/cli.md).
import {Args, Flags} from '@oclif/core'

export const checkArgs = {
  path: Args.string({description: "the app's folder (with sjt.yaml), its manifest file, or a folder of apps", required: false}),
}

export const checkFlags = {
  profile: Flags.string({description: 'standards profile name or folder (default shanxi-2022)'}),
  config: Flags.string({description: 'configuration file (default: sjt.config.yaml found from the app folder upwards)'}),
  url: Flags.string({description: 'override the entry URL (e.g. a local dev server or a CI preview)'}),
  'elder-url': Flags.string({description: 'override the elder-mode entry URL'}),
  'api-base': Flags.string({description: 'where the live contract probe sends requests (default: the contract servers)'}),
  ca: Flags.string({description: 'trust an extra CA (PEM) for every HTTPS check, browser included'}),
  'chrome-path': Flags.string({description: 'the browser to drive (default CHROME_PATH, then the usual locations)'}),
  timeout: Flags.integer({description: 'seconds per page or request (default 30)', min: 1}),
  format: Flags.string({description: 'text, json, html, md, junit, sarif, pdf (comma-separated)'}),
  out: Flags.string({description: 'where reports go (default reports/)'}),
  'fail-on': Flags.string({description: 'which severity makes the exit code 1 (default error)', options: ['error', 'warn', 'never']}),
  baseline: Flags.string({description: 'fail only on findings that this earlier result.json did not have'}),
  runs: Flags.integer({description: 'Lighthouse runs per page; the median run is reported (default 3)', min: 1, max: 20}),
  throttling: Flags.string({description: 'Lighthouse throttling (default simulate)', options: ['simulate', 'devtools', 'none']}),
  'save-artifacts': Flags.string({description: 'keep what was gathered in this folder'}),
  'from-artifacts': Flags.string({description: 'audit artifacts saved earlier, without a browser or network'}),
  json: Flags.boolean({description: 'print the result document on stdout and nothing else', default: false}),
  concurrency: Flags.integer({description: 'apps checked at once when PATH holds several apps (default 1)', min: 1, max: 64}),
  shard: Flags.string({description: 'check a stable i/n share of the apps (for a CI matrix), e.g. 2/4'}),
  'probe-writes': Flags.boolean({description: 'let the live contract probe send POST/PUT/DELETE (default: probeWrites in the config, else no)'}),
  'probe-requests': Flags.integer({description: 'requests per operation in the live probe (default 5)', min: 1, max: 1000}),
  'allow-remote-refs': Flags.boolean({description: 'let the contract resolve $refs over the network (default: allowRemoteRefs in the config, else no)'}),
  'no-auth': Flags.boolean({description: 'skip the configured login bootstrap (auth pages are then not-applicable)', default: false}),
  sign: Flags.string({description: 'sign the result with this private key (PEM; Ed25519, or SM2 with --sign-alg sm2)'}),
  'sign-alg': Flags.string({description: 'signature algorithm (default: from the key)', options: ['ed25519', 'sm2']}),
  verbose: Flags.boolean({char: 'v', description: 'list passing and not-applicable findings too', default: false}),
}
