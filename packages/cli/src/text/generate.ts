import { type Generator, type Module, noGrad, tensor, withArena } from '@loom/core';

/** Options of `generateText`. */
export interface GenerateOptions {
  /** Token ids the text continues (at least one). */
  prompt: readonly number[];
  /** Tokens to generate. */
  length: number;
  /** Divides the logits before the softmax; 0 takes the most likely token every time. */
  temperature: number;
  /** The longest context the model reads; older tokens are dropped. */
  contextLength: number;
  generator: Generator;
}

/**
 * Autoregressive sampling from a model that maps token ids [1, T] to logits [1, V, T] (the
 * char-transformer's layout): each step reads the last `contextLength` tokens, takes the logits
 * of the last position, and draws the next token from softmax(logits / temperature) with
 * `generator` (one draw per token, so a seed fixes the text). Returns the new token ids.
 */
export function generateTokens(model: Module, options: GenerateOptions): number[] {
  const { prompt, length, temperature, contextLength, generator } = options;
  if (prompt.length === 0) throw new RangeError('generateTokens: the prompt needs at least one token');
  const tokens = [...prompt];
  model.eval();
  for (let i = 0; i < length; i++) {
    const context = tokens.slice(-contextLength);
    const logits = withArena(() =>
      noGrad(() => {
        const out = model.forward(tensor([context], { dtype: 'int32' })).contiguous();
        const [vocab, steps] = [out.shape[1]!, out.shape[2]!];
        const data = out.data();
        return Array.from({ length: vocab }, (_, v) => data[v * steps + steps - 1]!);
      }),
    );
    tokens.push(sampleIndex(logits, temperature, generator));
  }
  return tokens.slice(prompt.length);
}

/** An index drawn from softmax(logits / temperature), or the first largest logit at temperature 0. */
function sampleIndex(logits: readonly number[], temperature: number, generator: Generator): number {
  let best = 0;
  for (let v = 1; v < logits.length; v++) if (logits[v]! > logits[best]!) best = v;
  if (temperature === 0) return best;
  const weights = logits.map((l) => Math.exp((l - logits[best]!) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = generator.nextDouble() * total;
  for (let v = 0; v < weights.length; v++) {
    u -= weights[v]!;
    if (u < 0) return v;
  }
  return best;
}
