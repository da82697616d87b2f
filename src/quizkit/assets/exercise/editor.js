// The code editor: CodeMirror 6 with Python, bundled at site build time (esbuild).
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState, RangeSetBuilder } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  ViewPlugin,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";

import { hangingStyle } from "./code-lines.js";

/**
 * A hanging indent for wrapped lines: the first row of a line starts where it always does, the rows it
 * wraps onto start HANG columns right of its indentation, so a wrapped part never looks like a line of
 * its own (in Python, an unindented line means something else).
 */
const hangingIndent = ViewPlugin.fromClass(class {
  constructor(view) {
    this.decorations = this.build(view);
  }

  update(update) {
    if (update.docChanged || update.viewportChanged) this.decorations = this.build(update.view);
  }

  build(view) {
    const builder = new RangeSetBuilder();
    const { doc, tabSize } = view.state;
    for (const { from, to } of view.visibleRanges) {
      for (let pos = from; pos <= to;) {
        const line = doc.lineAt(pos);
        const { hang, style } = hangingStyle(line.text, tabSize);
        builder.add(line.from, line.from, Decoration.line({ class: "cm-hanging", attributes: { style, "data-hang": String(hang) } }));
        pos = line.to + 1;
      }
    }
    return builder.finish();
  }
}, { decorations: (plugin) => plugin.decorations });

/**
 * Mount an editor in `parent`.
 * @param {HTMLElement} parent
 * @param {{doc: string, label: string, onRun: () => void, onCheck: () => void, onChange: (code: string) => void}} options
 */
export function createEditor(parent, { doc, label, describedBy, onRun, onCheck, onChange }) {
  const runKeys = [
    { key: "Mod-Enter", run: () => (onRun(), true), preventDefault: true },
    { key: "Shift-Mod-Enter", run: () => (onCheck(), true), preventDefault: true },
  ];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        bracketMatching(),
        closeBrackets(),
        autocompletion({ activateOnTyping: false }),
        highlightActiveLine(),
        syntaxHighlighting(classHighlighter),
        python(),
        keymap.of([...runKeys, ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
        // Long lines wrap: no scrolling region inside the page (and nothing hidden on a phone).
        EditorView.lineWrapping,
        hangingIndent,
        EditorView.contentAttributes.of({ "aria-label": label, ...(describedBy ? { "aria-describedby": describedBy } : {}) }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode: (code) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } }),
    focus: () => view.focus(),
  };
}
