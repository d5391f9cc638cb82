// Where something sits in a file or a page (findings, input errors).
/** Where a finding sits: a file position, a JSON Pointer into that file, or a page and selector. */
export interface Location {
  file?: string
  line?: number
  column?: number
  pointer?: string
  url?: string
  selector?: string
}
