// `sjt chek my-app`: a mistyped command gets the nearest command, in the user's language, exit 2.
import type {Hook} from '@oclif/core'
import {resolveLang, t} from '../lib/i18n/index.js'
import {nearest} from '../lib/words.js'

const hook: Hook<'command_not_found'> = async function (opts) {
  const argv = opts.argv ?? []
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
  const lang = resolveLang(i >= 0 ? (argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1]) : undefined)
  const words = opts.id.split(':')
  const ids = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const tops = [...new Set(ids.map((id) => id.split(':')[0]))]
  // The longest known command the words start with, else the nearest first word.
  const typed = words.join(' ')
  let suggestion: string | undefined
  const near = nearest(words[0], tops)
  if (near) {
    const rest = words.slice(1)
    const sub = rest.length > 0 ? nearest(rest[0], ids.filter((id) => id.startsWith(near + ':')).map((id) => id.split(':')[1])) : undefined
    suggestion = ['sjt', near, ...(sub ? [sub, ...rest.slice(1)] : rest)].join(' ')
  }
  process.stderr.write(`sjt: ${t(lang, 'cli.commandNotFound', {command: typed})}\n`)
  process.stderr.write(`  ${suggestion ? t(lang, 'cli.didYouMean', {suggestion}) : t(lang, 'cli.commandList')}\n`)
  process.exit(2)
}

export default hook
