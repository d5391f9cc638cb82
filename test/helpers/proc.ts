// The processes of this machine as Linux /proc shows them, for tests that look for (or end) the
// browsers a run started.
import {readdirSync, readFileSync} from 'node:fs'

export interface Proc {
  pid: number
  ppid: number
  /** The command line, arguments separated by NUL. */
  cmdline: string
}

export function processes(): Proc[] {
  const out: Proc[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      out.push({pid: Number(name), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8')})
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/** The processes below `root` (children, grandchildren, …). */
export function descendantsOf(root: number, all = processes()): Proc[] {
  const parent = new Map(all.map((p) => [p.pid, p.ppid]))
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid), n = 0; p !== undefined && n < 64; p = parent.get(p), n++) if (p === root) return true
    return false
  }
  return all.filter((p) => below(p.pid))
}
