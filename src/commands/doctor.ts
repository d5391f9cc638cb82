import {Flags} from '@oclif/core'
import {SjtCommand} from '../cli/base.js'
import {loadConfig} from '../core/config.js'
import {doctor, renderDoctor} from '../core/doctor.js'
import {useColor} from '../report/text.js'

export default class Doctor extends SjtCommand {
  static summary = 'Check that this machine can run sjt: Node.js, the browser, the reports folder, the review server and token'
  static description =
    'Each line says what was found and, for a problem, what to do. Exit 0 when everything sjt needs is in place, 3 when something is missing. The review server is checked only when one is configured (--server, SJT_SERVER or server: in sjt.config.yaml); the token comes from SJT_TOKEN or the config.'
  static examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --server https://review.example.gov.cn',
    'SJT_SERVER=http://127.0.0.1:8787 SJT_TOKEN=… <%= config.bin %> doctor --json',
    'CHROME_PATH=/opt/chrome/chrome <%= config.bin %> doctor --lang en',
  ]
  static flags = {
    server: Flags.string({description: 'review API base URL to check (default SJT_SERVER, then server: in the config)'}),
    'chrome-path': Flags.string({description: 'the browser to check (default CHROME_PATH, then the usual locations)'}),
    out: Flags.string({description: 'the reports folder to check (default out: in the config, else reports/)'}),
    config: Flags.string({description: 'configuration file (default: sjt.config.yaml found from here upwards)'}),
    timeout: Flags.integer({description: 'seconds to wait for the review server (default 5)', min: 1, default: 5}),
    json: Flags.boolean({description: 'print the checks as JSON on stdout and nothing else', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Doctor)
    const {config, file} = loadConfig(process.cwd(), this.lang, flags.config)
    const configName = file ? `server: ${file}` : 'config'
    const server = flags.server || process.env.SJT_SERVER || config.server
    const serverSource = flags.server ? '--server' : process.env.SJT_SERVER ? 'SJT_SERVER' : configName
    let token = process.env.SJT_TOKEN || undefined
    let tokenEnvMissing: string | undefined
    if (!token && config.token) {
      const name = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(config.token)?.[1]
      if (name && process.env[name]) token = process.env[name]
      else if (name) tokenEnvMissing = name
    }
    const chromePath = flags['chrome-path'] || config.chromePath || undefined
    const report = await doctor({
      lang: this.lang,
      chromePath,
      chromeSource: flags['chrome-path'] ? '--chrome-path' : file ? `chromePath: ${file}` : undefined,
      outDir: flags.out ?? config.out ?? 'reports',
      server,
      serverSource,
      token,
      tokenEnvMissing,
      timeoutMs: flags.timeout * 1000,
    })
    if (flags.json) this.out(JSON.stringify(report, null, 2))
    else process.stdout.write(renderDoctor(report, this.lang, useColor()))
    process.exitCode = report.ok ? 0 : 3
  }
}
