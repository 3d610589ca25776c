/**
 * The scan's window: files are read this much at a time (a grader that holds a 2 GB log in memory is a
 * grader that dies), every window searched, so nothing past it escapes. Texts kept for parsing stop here.
 */
export const MAX_SCAN_BYTES = 16 * 1024 * 1024;

/** 1-based line of a char offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
