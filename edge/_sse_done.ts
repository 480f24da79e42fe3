/**
 * A `data: [DONE]` line. The line break before it is a real one (JSON text holds none), so it is
 * no chunk's content.
 */
const DONE_LINE = /[\r\n]data: ?\[DONE\]/;
const LATIN1 = new TextDecoder("latin1");

/** Whether an event stream has passed its `data: [DONE]` line, fed chunk by chunk. */
export interface DoneTracker {
  feed(chunk: Uint8Array): void;
  readonly done: boolean;
}

/**
 * A {@link DoneTracker}: it keeps the last few characters, so a `[DONE]` line split across chunks
 * is found; once found it reads nothing more.
 */
export function doneTracker(): DoneTracker {
  /** The end of the text fed so far; the stream's start counts as a line break. */
  let carry = "\n";
  let done = false;
  return {
    feed(chunk) {
      if (done) return;
      const text = carry + LATIN1.decode(chunk);
      done = DONE_LINE.test(text);
      carry = text.slice(-16);
    },
    get done() {
      return done;
    },
  };
}

/** Whether streams of `route` end with `data: [DONE]` (chat and completions; not transcriptions). */
export function endsWithDone(route: string): boolean {
  return route === "chat" || route === "completions";
}
