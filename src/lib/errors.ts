// Errors a user can cause carry an exit code (spec/cli.md) and a message that says what to do.
import type {Location} from './location.js'

export class SjtError extends Error {
  constructor(
    message: string,
    public readonly exitCode: 2 | 3,
    public readonly location?: Location,
    public readonly hint?: string,
  ) {
    super(message)
    this.name = new.target.name
  }

  /** One or two lines: `file:line:column: message` and the hint. */
  format(): string {
    const loc = this.location
    let where = ''
    if (loc?.file) where = loc.file + (loc.line ? `:${loc.line}` + (loc.column ? `:${loc.column}` : '') : '') + ': '
    else if (loc?.url) where = loc.url + ': '
    return where + this.message + (this.hint ? `\n  ${this.hint}` : '')
  }
}

/** Exit 2: the input or the command line is wrong. */
export class InputError extends SjtError {
  constructor(message: string, location?: Location, hint?: string) {
    super(message, 2, location, hint)
  }
}

/** Exit 3: the environment failed (no browser, unreachable server, out of time). */
export class EnvError extends SjtError {
  constructor(message: string, location?: Location, hint?: string) {
    super(message, 3, location, hint)
  }
}
