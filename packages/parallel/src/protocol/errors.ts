/** An error as plain data, to cross threads in a mailbox or a message: its class name, message and stack. */
export interface ErrorReply {
  name: string;
  message: string;
  stack: string | undefined;
}

const errorClasses: Record<string, ErrorConstructor> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

export function toErrorReply(error: unknown): ErrorReply {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, stack: e.stack };
}

/** The error again, of the same built-in class, carrying the other thread's own stack. */
export function fromErrorReply(reply: ErrorReply): Error {
  const error = new (errorClasses[reply.name] ?? Error)(reply.message);
  if (reply.stack) error.stack = reply.stack;
  return error;
}
