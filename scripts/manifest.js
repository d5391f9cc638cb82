#!/usr/bin/env node
// Writes oclif.manifest.json (run by `npm run build`): the commands' ids, flags, args and help,
// so starting `sjt` (and `sjt --version`, `sjt --help`) does not import every command module.
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Plugin} from '@oclif/core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, isRoot: true})
await plugin.load()
const file = path.join(root, 'oclif.manifest.json')
writeFileSync(file, JSON.stringify(plugin.manifest, null, 2) + '\n')
process.stdout.write(`${path.relative(process.cwd(), file) || file}: ${Object.keys(plugin.manifest.commands).length} commands\n`)
