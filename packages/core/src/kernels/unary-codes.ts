/**
 * The code of every unary op in the kernel module's `unary` / `unaryBackward` exports: the one
 * definition that both sides compile. assembly/unary.ts imports this file as AssemblyScript, the
 * op table (kernels/js/unary.ts) as TypeScript, so it holds plain integer constants only. The
 * WebAssembly kernel traps on a code it does not implement.
 */
export const RELU = 0;
export const LEAKY_RELU = 1;
export const ABS = 2;
export const SQRT = 3;
export const CLAMP = 4;
export const SQUARE = 5;
export const EXP = 6;
export const SIGMOID = 7;
export const TANH = 8;
export const LOG = 9;
export const LOG1P = 10;
export const SIGN = 11;
export const GELU = 12;
export const GELU_TANH = 13;
export const SOFTPLUS = 14;
export const LOG_SIGMOID = 15;
export const POW_SCALAR = 16;
export const RPOW_SCALAR = 17;
export const SILU = 18;
export const MISH = 19;
export const ELU = 20;
export const HARDTANH = 21;
export const SOFTSIGN = 22;
