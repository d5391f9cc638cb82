// Copies the files tsc does not emit (the review console's style sheet and script) next to the
// compiled modules that serve them: src/review/console/assets → dist/review/console/assets.
import {cpSync, rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const from = path.join(root, 'src/review/console/assets')
const to = path.join(root, 'dist/review/console/assets')
rmSync(to, {recursive: true, force: true})
cpSync(from, to, {recursive: true})
