// Progress of `sjt check` on stderr (never stdout): on a terminal, a task list redrawn in place
// (one line per app: what it is doing now — the collector, the Lighthouse run); elsewhere (CI, a
// pipe, a log file) plain lines, one per step, prefixed with the app when there are several.
// With --json nothing is shown at all (the caller passes `enabled: false`).

export interface TaskHandle {
  /** What the task is doing now ("gather lighthouse", "Lighthouse entry page run 2/3"). */
  line(text: string): void
  /** The task finished; `status` is shown beside it (pass, fail, error …). */
  done(status: string, ok?: boolean): void
}

export interface Progress {
  /** Live redraw (terminal) rather than plain lines. */
  readonly live: boolean
  task(name: string): TaskHandle
  /** A line of its own above the task list (a warning, an app's error). */
  note(text: string): void
  /** Stop redrawing; the final state of the list stays on screen. */
  stop(): void
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream | {write(s: string): unknown; isTTY?: boolean; columns?: number}
  enabled?: boolean
  /** Force live or plain mode (default: live on a TTY outside CI, unless SJT_PROGRESS=plain or NO_COLOR). */
  live?: boolean
  /** Prefix plain lines with the task name (several apps). */
  prefix?: boolean
  env?: NodeJS.ProcessEnv
}

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const MAX_LINES = 12

interface TaskState {
  name: string
  text: string
  state: 'running' | 'done'
  status?: string
  ok?: boolean
  started: number
}

function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI && env.CI !== 'false') || Boolean(env.GITHUB_ACTIONS || env.GITLAB_CI || env.JENKINS_URL || env.BUILDKITE || env.TF_BUILD)
}

export function createProgress(opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr
  const env = opts.env ?? process.env
  if (opts.enabled === false) {
    return {live: false, task: () => ({line() {}, done() {}}), note() {}, stop() {}}
  }
  // NO_COLOR users get no escape sequences at all: plain lines, like CI.
  const live = opts.live ?? (Boolean(stream.isTTY) && !isCi(env) && env.SJT_PROGRESS !== 'plain' && env.TERM !== 'dumb' && !('NO_COLOR' in env))
  if (!live) {
    const prefix = opts.prefix ?? false
    let last = ''
    return {
      live: false,
      task(name) {
        return {
          line(text) {
            const s = prefix ? `[${name}] ${text}` : `· ${text}`
            if (s === last) return
            last = s
            stream.write(s + '\n')
          },
          done(status) {
            if (prefix) stream.write(`[${name}] ${status}\n`)
          },
        }
      },
      note(text) {
        stream.write(text + '\n')
      },
      stop() {},
    }
  }

  const tasks: TaskState[] = []
  let drawn = 0
  let frame = 0
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const width = () => Math.max(40, (('columns' in stream && stream.columns) || 100) - 1)
  const cut = (s: string) => {
    const w = width()
    // Wide (CJK) characters take two columns.
    let cols = 0
    let out = ''
    for (const ch of s) {
      const cw = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1
      if (cols + cw > w - 1) return out + '…'
      cols += cw
      out += ch
    }
    return out
  }
  const render = () => {
    if (stopped && drawn === 0 && tasks.length === 0) return
    const running = tasks.filter((x) => x.state === 'running')
    const done = tasks.filter((x) => x.state === 'done')
    const lines: string[] = []
    const room = Math.max(1, MAX_LINES - running.length)
    const shownDone = done.slice(-room)
    if (done.length > shownDone.length) lines.push(`  … ${done.length - shownDone.length} more done`)
    for (const x of shownDone) lines.push(cut(`${x.ok === false ? '✖' : '✔'} ${x.name}  ${x.status ?? ''}`))
    const spin = SPIN[frame++ % SPIN.length]
    for (const x of running.slice(0, MAX_LINES)) {
      const secs = Math.round((Date.now() - x.started) / 1000)
      lines.push(cut(`${spin} ${x.name}  ${x.text}  ${secs}s`))
    }
    let out = ''
    if (drawn > 0) out += `\u001B[${drawn}A`
    for (const l of lines) out += `\u001B[2K${l}\n`
    // Clear what is left of a taller earlier frame.
    for (let i = lines.length; i < drawn; i++) out += '\u001B[2K\n'
    if (drawn > lines.length) out += `\u001B[${drawn - lines.length}A`
    stream.write(out)
    drawn = lines.length
  }
  const schedule = () => {
    if (timer || stopped) return
    timer = setInterval(render, 100)
    timer.unref()
  }
  return {
    live: true,
    task(name) {
      const st: TaskState = {name, text: '', state: 'running', started: Date.now()}
      tasks.push(st)
      schedule()
      return {
        line(text) {
          st.text = text
        },
        done(status, ok) {
          st.state = 'done'
          st.status = status
          st.ok = ok
          if (!stopped) render()
        },
      }
    },
    note(text) {
      // Above the list: wipe the list, print, and let the next frame redraw it below.
      if (drawn > 0) stream.write(`\u001B[${drawn}A` + '\u001B[2K\n'.repeat(drawn) + `\u001B[${drawn}A`)
      drawn = 0
      stream.write(text + '\n')
      if (!stopped) render()
    },
    stop() {
      if (stopped) return
      if (timer) clearInterval(timer)
      timer = undefined
      render()
      stopped = true
    },
  }
}
