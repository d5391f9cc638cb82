// Walking a mini-program project the way the developer tool packs it: every regular file under
// the project root, sizes from stat (a 50 MB image is never read), symbolic links followed only
// inside the project and never twice (a link loop is reported, not followed), the tool's own
// config files and `packOptions.ignore` rules left out.
import {lstatSync, readdirSync, realpathSync, statSync} from 'node:fs'
import path from 'node:path'

export interface ProjectFile {
  /** Path relative to the mini-program root, with forward slashes. */
  rel: string
  abs: string
  size: number
}

export interface WalkProblem {
  kind: 'symlinkLoop' | 'symlinkOutside' | 'unreadable' | 'tooManyFiles'
  rel: string
  detail?: string
}

/** One `packOptions.ignore` entry of project.config.json (WeChat developer tool). */
export interface IgnoreRule {
  type: 'file' | 'folder' | 'suffix' | 'prefix' | 'regexp' | 'glob'
  value: string
}

/** Files the developer tool never uploads (its own configuration, VCS and package-manager folders). */
const TOOL_FILES = new Set(['project.config.json', 'project.private.config.json', 'mini.project.json', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml'])
const SKIP_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', '.idea', '.vscode'])

function globToMatcher(glob: string): (rel: string) => boolean {
  // A glob is read character by character: ** any path, * any name part, ? one character.
  let out = '^'
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]
    if (ch === '*' && glob[i + 1] === '*') {
      out += '.*'
      i++
      if (glob[i + 1] === '/') i++
    } else if (ch === '*') out += '[^/]*'
    else if (ch === '?') out += '[^/]'
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  const re = new RegExp(out + '$')
  return (rel) => re.test(rel)
}

export function ignoreMatcher(rules: IgnoreRule[]): (rel: string, isDir: boolean) => boolean {
  const tests = rules.map((r) => {
    const v = r.value.replace(/^\.?\//, '').replace(/\/+$/, '')
    switch (r.type) {
      case 'file':
        return (rel: string, dir: boolean) => !dir && rel === v
      case 'folder':
        return (rel: string, dir: boolean) => dir && rel === v
      case 'suffix':
        return (rel: string, dir: boolean) => !dir && rel.endsWith(r.value)
      case 'prefix':
        return (rel: string, dir: boolean) => !dir && path.posix.basename(rel).startsWith(r.value)
      case 'regexp': {
        let re: RegExp | null = null
        try {
          re = new RegExp(r.value)
        } catch {
          re = null
        }
        return (rel: string) => (re ? re.test(rel) : false)
      }
      case 'glob': {
        const m = globToMatcher(v)
        return (rel: string) => m(rel)
      }
      default:
        return () => false
    }
  })
  return (rel, isDir) => tests.some((fn) => fn(rel, isDir))
}

/** All files under `root` that would be uploaded, in a stable order, with what could not be walked. */
export function walkProject(root: string, ignore: (rel: string, isDir: boolean) => boolean, maxFiles = 50_000): {files: ProjectFile[]; problems: WalkProblem[]; ignored: number} {
  const files: ProjectFile[] = []
  const problems: WalkProblem[] = []
  let ignored = 0
  const realRoot = realpathSync(root)
  const visited = new Set<string>([realRoot])
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot + path.sep)
  const walk = (absDir: string, relDir: string) => {
    let entries
    try {
      entries = readdirSync(absDir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    } catch (error) {
      problems.push({kind: 'unreadable', rel: relDir || '.', detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message})
      return
    }
    for (const e of entries) {
      if (files.length >= maxFiles) {
        if (!problems.some((p) => p.kind === 'tooManyFiles')) problems.push({kind: 'tooManyFiles', rel: relDir || '.', detail: String(maxFiles)})
        return
      }
      const rel = relDir ? `${relDir}/${e.name}` : e.name
      const abs = path.join(absDir, e.name)
      let isDir = e.isDirectory()
      let isFile = e.isFile()
      if (e.isSymbolicLink()) {
        let real: string
        try {
          real = realpathSync(abs)
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code
          problems.push({kind: code === 'ELOOP' ? 'symlinkLoop' : 'unreadable', rel, detail: code})
          continue
        }
        if (!inside(real)) {
          problems.push({kind: 'symlinkOutside', rel, detail: real})
          continue
        }
        const st = statSync(real)
        isDir = st.isDirectory()
        isFile = st.isFile()
        if (isDir && visited.has(real)) {
          problems.push({kind: 'symlinkLoop', rel, detail: path.relative(realRoot, real) || '.'})
          continue
        }
      }
      if (isDir) {
        if (SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue
        if (ignore(rel, true)) {
          ignored++
          continue
        }
        let real: string
        try {
          real = realpathSync(abs)
        } catch {
          continue
        }
        if (visited.has(real) && real !== abs) {
          problems.push({kind: 'symlinkLoop', rel})
          continue
        }
        visited.add(real)
        walk(abs, rel)
      } else if (isFile) {
        if (e.name.startsWith('.') || (!relDir && TOOL_FILES.has(e.name))) continue
        if (ignore(rel, false)) {
          ignored++
          continue
        }
        try {
          files.push({rel, abs, size: (e.isSymbolicLink() ? statSync(abs) : lstatSync(abs)).size})
        } catch (error) {
          problems.push({kind: 'unreadable', rel, detail: (error as NodeJS.ErrnoException).code})
        }
      }
    }
  }
  walk(root, '')
  return {files, problems, ignored}
}
