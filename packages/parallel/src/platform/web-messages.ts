import type { ErrorReply } from '../protocol/errors.js';
import type { Task, WorkerSetup } from '../protocol/messages.js';

/** What the pool posts to a Web Worker: its setup once, first, then tasks. */
export type ToWebWorker = { kind: 'setup'; setup: WorkerSetup } | { kind: 'task'; id: number; task: Task };

/** A Web Worker's answer to a task. */
export type FromWebWorker = { id: number; ok: unknown } | { id: number; error: ErrorReply };
