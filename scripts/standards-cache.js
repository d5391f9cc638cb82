#!/usr/bin/env node
// Writes dist/standards-cache.json (run by `npm run build`): the parsed and schema-checked data of
// every bundled profile file (standards/*/profile.yaml, scoring.yaml and rules/*.yaml), keyed by the SHA-256 of
// the file's text. loadProfile uses an entry only when the file on disk has exactly that hash, so
// an edited or a user's own profile is always parsed and validated as before; a start saves the
// YAML parse and the profile/rules schema compilation.
// Also writes dist/schemas/<name>.validate.cjs: each standards/schemas/*.schema.json compiled ahead
// of time (ajv standalone code), stamped with the hash of the schema folder; src/lib/schema.ts uses
// one only when the schemas on disk still have that hash, else compiles as before.
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href)
const {parseStructured, readTextFile} = await dist('lib/source.js')
const {schemaValidator, schemasHash, standaloneValidatorCode, SCHEMA_NAMES} = await dist('lib/schema.js')

const entries = {}
const add = (file, schema) => {
  const text = readTextFile(file, 'en')
  const data = parseStructured(text, 'en').data
  const validate = schemaValidator(schema)
  if (!validate(data)) throw new Error(`${path.relative(root, file)}: ${JSON.stringify(validate.errors?.[0])}`)
  entries[createHash('sha256').update(text.text).digest('hex')] = data
}
const standards = path.join(root, 'standards')
for (const name of readdirSync(standards)) {
  const dir = path.join(standards, name)
  if (!existsSync(path.join(dir, 'profile.yaml'))) continue
  add(path.join(dir, 'profile.yaml'), 'profile')
  if (existsSync(path.join(dir, 'scoring.yaml'))) add(path.join(dir, 'scoring.yaml'), 'scoring')
  const rules = path.join(dir, 'rules')
  if (existsSync(rules)) for (const f of readdirSync(rules).filter((n) => /\.ya?ml$/.test(n))) add(path.join(rules, f), 'rules')
}
const out = path.join(root, 'dist', 'standards-cache.json')
writeFileSync(out, JSON.stringify({entries}))
process.stdout.write(`${path.relative(process.cwd(), out) || out}: ${Object.keys(entries).length} profile files\n`)

const schemasOut = path.join(root, 'dist', 'schemas')
mkdirSync(schemasOut, {recursive: true})
const hash = schemasHash()
for (const name of SCHEMA_NAMES()) writeFileSync(path.join(schemasOut, `${name}.validate.cjs`), standaloneValidatorCode(name, hash))
process.stdout.write(`${path.relative(process.cwd(), schemasOut) || schemasOut}: ${SCHEMA_NAMES().length} precompiled validators\n`)
