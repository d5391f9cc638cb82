// A small strict JSON scanner (RFC 8259) that names where the first error is: Node's JSON.parse
// does not always give a position (e.g. a trailing comma), and a developer needs line:column.
// Values come from the position-keeping parser in src/lib/source.ts once the text is valid.

export interface JsonError {
  message: string
  offset: number
}

export function jsonSyntaxError(text: string): JsonError | null {
  let i = 0
  const n = text.length
  const fail = (message: string): never => {
    throw {message, offset: Math.min(i, n)} as JsonError
  }
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length
    else fail(`unexpected ${show()}`)
  }
  const show = () => (i >= n ? 'end of file' : `"${text[i]}"`)
  const string = () => {
    i++
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c < 0x20) fail('control character in a string')
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape')
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else fail('bad escape')
      } else i++
    }
    fail('unterminated string')
  }
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m) fail(`unexpected ${show()}`)
    i += m![0].length
  }
  const value = (depth: number): void => {
    if (depth > 500) fail('nested too deeply')
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma' : `expected a property name, found ${show()}`)
        string()
        ws()
        if (text[i] !== ':') fail(`expected ":", found ${show()}`)
        i++
        value(depth + 1)
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return
        }
        fail(`expected "," or "}", found ${show()}`)
      }
    }
    if (c === '[') {
      i++
      ws()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        ws()
        if (text[i] === ']') fail('trailing comma')
        value(depth + 1)
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return
        }
        fail(`expected "," or "]", found ${show()}`)
      }
    }
    if (c === '"') return string()
    if (c === 't') return literal('true')
    if (c === 'f') return literal('false')
    if (c === 'n') return literal('null')
    if (c === '-' || (c >= '0' && c <= '9')) return number()
    fail(`unexpected ${show()}`)
  }
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1
    value(0)
    ws()
    if (i < n) fail(`unexpected ${show()} after the value`)
    return null
  } catch (error) {
    if (error && typeof error === 'object' && 'offset' in error) return error as JsonError
    throw error
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): {line: number; column: number} {
  let line = 1
  let last = -1
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++
      last = k
    }
  }
  return {line, column: offset - last}
}
