// What a person typed in a terminal, as text another person reads (a trainer's replay): Enter as a
// new line, arrow keys as arrows, Backspace as ⌫, other control keys as ^X. Other escape sequences
// (function keys, bracketed-paste markers) are left out.

const KEY_NAMES: Record<string, string> = { "\u001b[A": "↑", "\u001b[B": "↓", "\u001b[C": "→", "\u001b[D": "←" };

export function replayText(input: readonly { data: string }[]): string {
  return input
    .map(({ data }) =>
      data
        .replace(/\r\n?/g, "\n")
        .replace(/\u001b\[[0-9;~]*[A-Za-z~]/g, (seq) => KEY_NAMES[seq] ?? "")
        .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => (c === "\u007f" ? "⌫" : `^${String.fromCharCode(c.charCodeAt(0) + 64)}`)),
    )
    .join("");
}
