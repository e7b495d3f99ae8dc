// Tensors and autograd with @loom/core alone: typed through the package's `types` condition.
import assert from 'node:assert/strict';
import { type Tensor, gradcheck, kernelInfo, matmul, sum, tensor } from '@loom/core';

const x: Tensor = tensor(
  [
    [1, 2],
    [3, 4],
  ],
  { requiresGrad: true },
);
const w: Tensor = tensor([[0.5], [-1]], { requiresGrad: true });

// d/dx Σ (x·w)² = 2 (x·w) wᵀ; d/dw = 2 xᵀ (x·w). The methods (`.mul`, `.sum`) are installed by the import.
const y = matmul(x, w);
const loss = y.mul(y).sum();
loss.backward();

assert.deepEqual(y.tolist(), [[-1.5], [-2.5]]);
assert.equal(loss.item(), 8.5);
assert.deepEqual(x.grad?.tolist(), [
  [-1.5, 3],
  [-2.5, 5],
]);
assert.deepEqual(w.grad?.tolist(), [[-18], [-26]]);

const a = tensor([[0.1, -0.2, 0.3]], { dtype: 'float64', requiresGrad: true });
const b = tensor([[0.4], [0.5], [-0.6]], { dtype: 'float64', requiresGrad: true });
assert.equal(
  gradcheck((p, q) => sum(matmul(p, q).mul(p.sum())), [a, b]),
  true,
);

// The WebAssembly kernels must load from the installed package, not fall back to JavaScript.
const info = kernelInfo();
assert.notEqual(info.backend, 'js', `kernels fell back to JavaScript: ${JSON.stringify(info)}`);
console.log(JSON.stringify({ ok: true, loss: loss.item(), backend: info.backend }));
