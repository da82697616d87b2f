// How a line of code is laid out in the exercise editor, shared by the editor and the plain view shown before it.

/** Columns a wrapped part of a line sits to the right of that line's own indentation. */
export const HANG = 4;

/** Columns of leading whitespace (tabs to the next tab stop). */
export function indentColumns(text, tabSize) {
  let column = 0;
  for (const char of text) {
    if (char === " ") column += 1;
    else if (char === "\t") column += tabSize - (column % tabSize);
    else break;
  }
  return column;
}

/** The hanging indent of a line, as a style: its wrapped rows start HANG columns right of its indentation. */
export function hangingStyle(text, tabSize) {
  const hang = indentColumns(text, tabSize) + HANG;
  return { hang, style: `padding-left: calc(6px + ${hang}ch); text-indent: -${hang}ch` };
}
