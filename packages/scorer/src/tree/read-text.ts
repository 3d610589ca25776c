/** Files larger than this are read only up to it; a grader that reads a 2 GB log whole is a grader that dies. */
export const MAX_SCAN_BYTES = 16 * 1024 * 1024;

/** 1-based line of a char offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
