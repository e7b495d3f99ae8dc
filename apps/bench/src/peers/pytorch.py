"""PyTorch peer of the Loom bench: times the same workloads with torch on CPU.

Usage: python3 pytorch.py '<json config>'; prints one JSON object on stdout.
The config names the workloads, the thread counts (torch.set_num_threads), the timing
protocol and the matmul shapes; see src/peers/pytorch.ts, which writes it and runs the script
once per thread count N with every thread pool's environment variable set to N
(OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS, ...): a pool sized at start-up for
every core makes a "one thread" figure wrong.
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CharTransformer(nn.Module):
    """Loom's char-transformer built-in (packages/parallel/src/models/char-transformer.ts) in torch:
    token + learned position embeddings, pre-norm GELU encoder layers under a causal mask, a final
    LayerNorm and a linear head; logits [N, V, T] for cross_entropy with targets [N, T]."""

    def __init__(self, vocab_size, context_length, d_model, nhead, num_layers, dim_feedforward, dropout=0.0):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, d_model)
        self.position_embedding = nn.Embedding(context_length, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=nn.LayerNorm(d_model), enable_nested_tensor=False)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens):
        t = tokens.shape[1]
        x = self.token_embedding(tokens.long()) + self.position_embedding.weight[:t]
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        return self.head(self.encoder(x, mask=mask)).transpose(1, 2)


def build_model(model):
    if model["kind"] == "char-transformer":
        return CharTransformer(model["vocabSize"], model["contextLength"], model["dModel"], model["nhead"], model["numLayers"], model["dimFeedforward"])
    if model["kind"] == "mlp":
        sizes = model["sizes"]
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i + 2 < len(sizes):
                layers.append(nn.ReLU())
        return nn.Sequential(*layers)
    c, h, w = model["inputShape"]
    side = lambda n: ((n // 2) - 4) // 2
    return nn.Sequential(
        nn.Conv2d(c, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * side(h) * side(w), 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, model["numClasses"]),
    )


def steps_within_budget(p, step_ms):
    # The same rule as src/scaling/protocol.ts: more steps per run for a fast system (a run of
    # about minRunMs), fewer for a slow one (within the budget), at least one.
    if step_ms <= 0:
        return p["steps"]
    wanted = max(p["steps"], math.ceil(p["minRunMs"] / step_ms))
    return max(1, min(wanted, int(p["budgetMs"] / p["repeats"] / step_ms)))


def warming_up(p, done, start):
    # The same rule as warmingUp in src/scaling/protocol.ts: warmupSteps steps, and more until warmupMs have passed.
    return done < p["warmupSteps"] or (p["warmupSteps"] > 0 and (time.perf_counter() - start) * 1000 < p["warmupMs"])


def synthetic_batches(w, rows, batches, gen):
    """`batches` batches of `rows` rows: normal inputs (token ids for the char-transformer), class targets."""
    if w["model"]["kind"] == "char-transformer":
        xs = [torch.randint(0, w["numClasses"], (rows, *w["featureShape"]), generator=gen) for _ in range(batches)]
    else:
        xs = [torch.randn(rows, *w["featureShape"], generator=gen) for _ in range(batches)]
    ys = [torch.randint(0, w["numClasses"], (rows, *w["targetShape"]), generator=gen) for _ in range(batches)]
    return xs, ys


class ShuffledBatches:
    """A training set held as a PyTorch user holds one in memory: its rows in two tensors, a new
    random order each epoch, each batch's rows gathered with index_select. Loom's trainer does the
    same work in every step it times (its seeded sampler's order, its row gather), so both sides
    time a step with its data; indexing a few prebuilt batches would leave the gather out."""

    def __init__(self, w, rows, batches, gen):
        xs, ys = synthetic_batches(w, rows, batches, gen)
        self.x, self.y = torch.cat(xs), torch.cat(ys)
        self.rows = rows
        self.gen = gen
        self.order = torch.randperm(self.x.shape[0], generator=gen)
        self.taken = 0

    def next(self):
        if self.taken == self.x.shape[0]:
            self.order = torch.randperm(self.x.shape[0], generator=self.gen)
            self.taken = 0
        idx = self.order[self.taken : self.taken + self.rows]
        self.taken += self.rows
        return self.x.index_select(0, idx), self.y.index_select(0, idx)

    @classmethod
    def warmup(cls, w, rows, p, gen):
        """The warm-up's few batches (at most 4)."""
        return cls(w, rows, max(1, min(p["steps"], 4)), gen)

    @classmethod
    def timed(cls, w, rows, p, steps, gen):
        """As many batches as Loom's timed dataset holds (src/scaling/loom.ts): a longer run goes over them again."""
        return cls(w, rows, min(steps, p["timedBatches"]), gen)


def time_workload(w, p):
    gen = torch.Generator().manual_seed(1)
    data = ShuffledBatches.warmup(w, w["batchSize"], p, gen)
    model = build_model(w["model"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        x, y = data.next()
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    last = 0.0
    start = time.perf_counter()
    done = 0
    while warming_up(p, done, start):
        t0 = time.perf_counter()
        step()
        last = (time.perf_counter() - t0) * 1000
        done += 1
    steps = steps_within_budget(p, last)
    data = ShuffledBatches.timed(w, w["batchSize"], p, steps, gen)
    runs = []
    for _ in range(p["repeats"]):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        runs.append(steps * w["batchSize"] / (time.perf_counter() - t0))
    return runs, steps


def time_matmul(m, k, n, budget_ms):
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    for _ in range(3):
        a @ b
    samples = []
    start = time.perf_counter()
    while len(samples) < 5 or (time.perf_counter() - start) * 1000 < budget_ms:
        t0 = time.perf_counter()
        a @ b
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    mid = len(samples) // 2
    median = samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2
    return median, len(samples)


def find_blas():
    """The BLAS library torch loaded (full path) and, for OpenBLAS, a ctypes handle to it."""
    path = None
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                name = line.split()[-1]
                if any(key in os.path.basename(name).lower() for key in ("openblas", "libblas", "mkl", "blis")):
                    path = name
                    break
    except OSError:
        pass
    handle = None
    if path and "openblas" in os.path.basename(path).lower():
        try:
            import ctypes

            handle = ctypes.CDLL(path)
            handle.openblas_get_corename.restype = ctypes.c_char_p
        except (OSError, AttributeError):
            handle = None
    return path, handle


def set_threads(threads, openblas):
    torch.set_num_threads(threads)
    # torch sets OpenMP's threads, not the pthreads OpenBLAS build's own pool: set that too.
    if openblas is not None:
        openblas.openblas_set_num_threads(threads)


def main():
    config = json.loads(sys.argv[1])
    # The inter-op pool runs independent ops concurrently: one thread, so N means N.
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    out = {"torch": torch.__version__, "maxThreads": torch.get_num_threads(), "points": [], "matmul": [], "errors": []}
    # One product loads the BLAS library, so that it shows in the process maps.
    torch.randn(8, 8) @ torch.randn(8, 8)
    path, openblas = find_blas()
    out["blas"] = {
        "library": os.path.basename(path) if path else "unknown",
        "corename": openblas.openblas_get_corename().decode() if openblas is not None else None,
    }
    set_threads(1, openblas)
    for m, k, n in config["matmul"]:
        median, count = time_matmul(m, k, n, config["matmulTimeMs"])
        out["matmul"].append({"shape": [m, k, n], "medianMs": median, "samples": count})
    for w in config["workloads"]:
        for threads in config["threads"]:
            set_threads(threads, openblas)
            try:
                runs, steps = time_workload(w, config["protocol"])
                out["points"].append({"id": w["id"], "threads": threads, "runs": runs, "steps": steps})
            except Exception as e:  # a failing workload is reported, not fatal to the others
                out["errors"].append({"id": w["id"], "threads": threads, "error": repr(e)})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
