"""DistributedDataParallel peer of the Loom bench: the data-parallel way to train on N cores in PyTorch.

Usage: python3 pytorch_ddp.py '<json config>'; prints one JSON object on stdout.
For each workload and each process count N: N processes (torch.multiprocessing, gloo over
127.0.0.1), each pinned to one thread, each taking batchSize / N rows of every global batch; the
gradients are averaged by DDP's all-reduce. Throughput is global samples per second, timed
between barriers by rank 0. The environment pins every thread pool to one thread
(OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS: set by src/peers/pytorch.ts).
"""
import json
import os
import socket
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch import ShuffledBatches, build_model, steps_within_budget, warming_up  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_workload(rank, world, w, p):
    local = w["batchSize"] // world
    # Each rank draws its share of every batch from rows of its own, in a new order each epoch.
    gen = torch.Generator().manual_seed(1 + rank)
    data = ShuffledBatches.warmup(w, local, p, gen)
    torch.manual_seed(0)
    model = DistributedDataParallel(build_model(w["model"]))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        x, y = data.next()
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    last = 0.0
    start = time.perf_counter()
    done = 0
    while True:
        # Rank 0 decides when the warm-up ends (it is timed), so that every rank runs as many steps.
        go = torch.tensor([1 if warming_up(p, done, start) else 0])
        dist.broadcast(go, 0)
        if not go.item():
            break
        dist.barrier()
        t0 = time.perf_counter()
        step()
        last = (time.perf_counter() - t0) * 1000
        done += 1
    # Every rank runs the steps rank 0 chose (its warm-up step time against the budget).
    steps = torch.tensor([steps_within_budget(p, last)])
    dist.broadcast(steps, 0)
    steps = int(steps.item())
    data = ShuffledBatches.timed(w, local, p, steps, gen)
    runs = []
    for _ in range(p["repeats"]):
        dist.barrier()
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        dist.barrier()
        runs.append(steps * local * world / (time.perf_counter() - t0))
    return runs, steps


def rank_main(rank, world, port, config, queue):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    try:
        for w in config["workloads"]:
            if w["batchSize"] % world != 0:
                if rank == 0:
                    queue.put({"id": w["id"], "threads": world, "error": f"batch {w['batchSize']} does not split over {world} processes"})
                continue
            try:
                runs, steps = time_workload(rank, world, w, config["protocol"])
                if rank == 0:
                    queue.put({"id": w["id"], "threads": world, "runs": runs, "steps": steps})
            except Exception as e:  # reported, not fatal to the other workloads
                if rank == 0:
                    queue.put({"id": w["id"], "threads": world, "error": repr(e)})
    finally:
        dist.destroy_process_group()


def main():
    config = json.loads(sys.argv[1])
    out = {"torch": torch.__version__, "points": [], "errors": []}
    ctx = mp.get_context("spawn")
    for world in config["threads"]:
        queue = ctx.Queue()
        mp.start_processes(rank_main, args=(world, free_port(), config, queue), nprocs=world, join=True, start_method="spawn")
        while not queue.empty():
            r = queue.get()
            (out["errors"] if "error" in r else out["points"]).append(r)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
