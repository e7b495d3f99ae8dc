"""PyTorch beside `loom train --model char-transformer`: the same network on the same data.

Usage: python3 char_transformer_names.py [names.arrow] [--epochs 8] [--threads 2]

`names.arrow` is what `loom data text --out names.arrow` writes (columns `context` and `label`,
windows of T characters; reading it needs pyarrow). Without it, the script builds the windows
itself as `loom data text` does from the same source, the stdlib name lists installed with
@loom/cli (distinct names, one per line, windows of 16 every 16 characters), in its own shuffled
order (torch's generator, not Loom's: the same names, another order). The network is Loom's char-transformer built-in (the `CharTransformer`
of src/peers/pytorch.py, which W4 times); the training mirrors the CLI README's example: AdamW
(lr 3e-3, PyTorch's other defaults), CosineAnnealingLR stepped every optimizer step over the whole
run, batch 64, cross-entropy over every position, 10% of the windows held out (a random split of
the same size as Loom's; the rows differ, since the generators differ). Prints one JSON object:
validation loss per epoch, seconds, and samples per second.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "peers"))

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"char_transformer_names.py needs torch: {e}", file=sys.stderr)
    sys.exit(2)

STDLIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "packages", "cli", "node_modules", "@stdlib")

from pytorch import CharTransformer  # noqa: E402  (the W4 network, one definition)


def load_names(context_length, seed):
    names = set()
    for sex in ("female", "male"):
        with open(os.path.join(STDLIB, f"datasets-{sex}-first-names-en", "data", "names.json"), encoding="utf8") as f:
            names.update(json.load(f))
    names = sorted(names)
    order = torch.randperm(len(names), generator=torch.Generator().manual_seed(seed)).tolist()
    text = "".join(names[i] + "\n" for i in order)
    vocabulary = sorted(set(text))
    ids = torch.tensor([vocabulary.index(c) for c in text], dtype=torch.long)
    windows = (len(ids) - context_length - 1) // context_length + 1
    starts = torch.arange(windows) * context_length
    steps = torch.arange(context_length)
    return ids[starts[:, None] + steps], ids[starts[:, None] + steps + 1], vocabulary


def load(path):
    try:
        import pyarrow.ipc
    except ImportError as e:
        print(f"reading {path} needs pyarrow ({e}); without a path the script builds the names windows itself", file=sys.stderr)
        sys.exit(2)
    table = pyarrow.ipc.open_file(path).read_all()
    vocabulary = json.loads(table.schema.metadata[b"loom.vocabulary"])
    context = torch.tensor(table.column("context").combine_chunks().flatten().to_numpy(), dtype=torch.long)
    label = torch.tensor(table.column("label").combine_chunks().flatten().to_numpy(), dtype=torch.long)
    rows = table.num_rows
    return context.view(rows, -1), label.view(rows, -1), vocabulary


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y, vocabulary = load(args.data) if args.data else load_names(16, args.seed)
    order = torch.randperm(x.shape[0])
    val_count = int(x.shape[0] * 0.1)
    val, train = order[:val_count], order[val_count:]
    model = CharTransformer(len(vocabulary), x.shape[1], 64, 4, 2, 256)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr)
    steps_per_epoch = -(-len(train) // args.batch_size)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps_per_epoch * args.epochs)
    epochs = []
    start = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        perm = train[torch.randperm(len(train))]
        for b in range(0, len(perm), args.batch_size):
            rows = perm[b : b + args.batch_size]
            opt.zero_grad()
            F.cross_entropy(model(x[rows]), y[rows]).backward()
            opt.step()
            sched.step()
        model.eval()
        with torch.no_grad():
            val_loss = F.cross_entropy(model(x[val]), y[val]).item()
        epochs.append({"epoch": epoch + 1, "valLoss": val_loss, "seconds": time.perf_counter() - start})
    seconds = time.perf_counter() - start
    print(json.dumps({"torch": torch.__version__, "rows": x.shape[0], "vocabulary": len(vocabulary), "threads": args.threads, "epochs": epochs, "valLoss": epochs[-1]["valLoss"], "seconds": seconds, "samplesPerSecond": len(train) * args.epochs / seconds}))


if __name__ == "__main__":
    main()
