/**
 * Memory safety's cost, one thread: the PyTorch-style training loop with no scope next to the
 * same loop inside `withArena`, and public ops (matmul, add, relu) outside a scope next to inside one.
 *
 *   pnpm --filter @loom/core build && node packages/core/bench/plain-loop.mjs [--steps 100000] [--quick] [--min-headroom MiB]
 *
 * (`LOOM_MALLOC=leave node …` shows the cost of moving out with glibc's malloc as it comes: see
 * core's keepFreedHeap.)
 *
 * Each loop runs in its own process (a clean memory), three ways: `plain` (each step's batch a new
 * tensor left to the garbage collector), `loader` (the batch disposed when the step ends, as
 * @loom/parallel's DataLoader does) and inside `withArena`: an MLP 784-256-128-10, batch 64, forward,
 * cross-entropy (log-softmax + gather), backward and Adam on every parameter through core's
 * `adamKernel` (the update @loom/optim's Adam runs). It prints the allocator's high-water mark
 * (the memory curve) at every tenth of the run and the time per step of each tenth. The speed
 * comparison comes from separate, interleaved rounds (the three loops in a rotating order, 2,000
 * steps each, the first fifth a warm-up): on a shared machine two long runs one after the other
 * meet different loads. Ratios are given of CPU time (process.cpuUsage: user + system, which
 * includes page faults and V8's garbage-collector threads), steadier when other processes share
 * the cores, and of wall-clock time, what a user waits for on a quiet machine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  Linear,
  ReLU,
  Sequential,
  Tensor,
  adamKernel,
  gather,
  keepFreedHeap,
  logSoftmax,
  manualSeed,
  matmul,
  memoryContext,
  noGrad,
  randint,
  randn,
  withArena,
  zerosLike,
} from '../dist/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const stepsArg = args.indexOf('--steps');
const steps = stepsArg >= 0 ? Number(args[stepsArg + 1]) : quick ? 3000 : 100_000;
const child = args.indexOf('--child');
// --min-headroom MiB: the residency's least headroom in every loop (default: core's own).
const headroomArg = args.indexOf('--min-headroom');
const minHeadroom = headroomArg >= 0 ? ['--min-headroom', args[headroomArg + 1]] : [];
if (minHeadroom.length > 0) memoryContext().residency.minHeadroomBytes = Number(minHeadroom[1]) * 2 ** 20;

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

/** Runs `steps` training steps plainly or inside withArena; returns the curve and times. */
function trainingLoop(mode) {
  manualSeed(0);
  const model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
  const params = model.parameters();
  const state = params.map((p) => [zerosLike(p), zerosLike(p)]);
  const options = {
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    amsgrad: false,
    maximize: false,
    decoupledWeightDecay: false,
  };
  const adam = adamKernel.select('float32');
  // A few batches, each a new tensor per step as a data loader would make it. 'plain' leaves
  // each batch to the garbage collector (Loom must copy it out once: it cannot know it is dead);
  // 'loader' disposes it when the step ends, as @loom/parallel's DataLoader does when the loop
  // moves on.
  const data = Array.from({ length: 8 }, () => [randn([64, 784]).toArray(), randint(0, 10, [64]).toArray()]);
  const step = (i) => {
    model.zeroGrad();
    const [xs, ys] = data[i % data.length];
    const x = Tensor.empty([64, 784]);
    x.data().set(xs);
    const y = Tensor.empty([64, 1], 'int32');
    y.data().set(ys);
    const loss = gather(logSoftmax(model.forward(x), 1), 1, y)
      .mean()
      .neg();
    loss.backward();
    noGrad(() => params.forEach((p, k) => adam(p.data(), p.grad.data(), state[k][0].data(), state[k][1].data(), null, i + 1, options)));
    if (mode === 'loader') {
      x.dispose();
      y.dispose();
    }
    return loss;
  };
  const run = mode === 'scoped' ? (i) => withArena(() => step(i).item()) : step;
  const { allocator, residency } = memoryContext();
  const tenth = Math.max(1, Math.floor(steps / 10));
  const curve = [];
  let t = performance.now();
  let cpu = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    run(i);
    if ((i + 1) % tenth === 0) {
      const now = performance.now();
      const used = process.cpuUsage(cpu);
      curve.push({
        step: i + 1,
        highWaterMiB: allocator.highWater / 2 ** 20,
        msPerStep: (now - t) / tenth,
        cpuMsPerStep: (used.user + used.system) / 1000 / tenth,
      });
      t = now;
      cpu = process.cpuUsage();
    }
  }
  return {
    curve,
    passes: residency.passes,
    movedOutMiB: residency.evictedBytes / 2 ** 20,
    broughtBackMiB: residency.returnedBytes / 2 ** 20,
    headroomMiB: residency.headroomBytes / 2 ** 20,
  };
}

/**
 * Public ops outside a scope against inside one, interleaved: the matmul 256×784·784×256 and two
 * elementwise ops (add, relu) whose results are the same 256×256 float32 (256 KiB), each three
 * ways: its result left to the garbage collector (a pass must copy it out: it cannot know it is
 * dead), disposed once made, and inside withArena. Median µs per call by wall-clock time, and the
 * median ratio of CPU time per call (left to the collector / inside withArena).
 */
function publicOpsOutsideScope() {
  const a = randn([256, 784]);
  const b = randn([784, 256]);
  const x = randn([256, 256]);
  const y = randn([256, 256]);
  const ops = { matmul: () => matmul(a, b), add: () => x.add(y), relu: () => x.relu() };
  const time = (fn, n) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const c = process.cpuUsage(c0);
    return { wall: ((performance.now() - t0) / n) * 1000, cpu: (c.user + c.system) / n };
  };
  const result = {};
  for (const [name, op] of Object.entries(ops)) {
    const calls = {
      plain: () => void op(),
      disposed: () => op().dispose(),
      scoped: () => withArena(() => void op()),
    };
    const n = name === 'matmul' ? 40 : 400;
    // Past the first passes, whose copies land in memory the process has never touched.
    for (let i = 0; i < 5 * n; i++) calls.plain();
    for (let i = 0; i < n; i++) calls.disposed();
    for (let i = 0; i < n; i++) calls.scoped();
    const wall = { plain: [], disposed: [], scoped: [] };
    const cpuRatio = [];
    for (let r = 0; r < (quick ? 7 : 15); r++) {
      const t = Object.fromEntries(Object.entries(calls).map(([k, fn]) => [k, time(fn, n)]));
      for (const k of Object.keys(wall)) wall[k].push(t[k].wall);
      cpuRatio.push(t.plain.cpu / t.scoped.cpu);
    }
    result[name] = { plain: median(wall.plain), disposed: median(wall.disposed), scoped: median(wall.scoped), cpuRatio: median(cpuRatio) };
  }
  return { ...result, malloc: keepFreedHeap() };
}

if (child >= 0) {
  const mode = args[child + 1];
  process.stdout.write(JSON.stringify(mode === 'ops' ? publicOpsOutsideScope() : trainingLoop(mode)));
} else {
  const runChild = (mode, n = steps) => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, '--steps', String(n), ...minHeadroom], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`the ${mode} run failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const ops = runChild('ops');
  const plain = runChild('plain');
  const loader = runChild('loader');
  const scoped = runChild('scoped');
  const fmt = (v, d = 1) => v.toFixed(d);
  const malloc = ops.malloc.applied ? 'keeps freed pages' : `as the process has it (${ops.malloc.reason})`;
  console.log(`Node ${process.version}, one thread, ${steps} steps of an MLP 784-256-128-10, batch 64, Adam; malloc ${malloc}\n`);
  console.log(
    '| step | plain high-water MiB | plain ms/step | loader high-water MiB | loader ms/step | withArena high-water MiB | withArena ms/step |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  plain.curve.forEach((p, i) => {
    const l = loader.curve[i];
    const s = scoped.curve[i];
    console.log(
      `| ${p.step} | ${fmt(p.highWaterMiB)} | ${fmt(p.msPerStep, 3)} | ${fmt(l.highWaterMiB)} | ${fmt(l.msPerStep, 3)} | ${fmt(s.highWaterMiB)} | ${fmt(s.msPerStep, 3)} |`,
    );
  });
  // Interleaved rounds for the speed ratios: CPU time per step after the first fifth of each run,
  // the three loops in a rotating order.
  const rounds = quick ? 3 : 7;
  const ratios = { plain: [], loader: [] };
  const wallRatios = { plain: [], loader: [] };
  const warm = (r, key = 'cpuMsPerStep') => r.curve.slice(2).reduce((sum, p) => sum + p[key], 0) / (r.curve.length - 2);
  const modes = ['plain', 'loader', 'scoped'];
  for (let k = 0; k < rounds; k++) {
    const order = modes.map((_, j) => modes[(j + k) % modes.length]);
    const runs = Object.fromEntries(order.map((mode) => [mode, runChild(mode, 2000)]));
    for (const name of ['plain', 'loader']) {
      ratios[name].push(warm(runs[name]) / warm(runs.scoped));
      wallRatios[name].push(warm(runs[name], 'msPerStep') / warm(runs.scoped, 'msPerStep'));
    }
  }
  const after = (r) => r.curve.filter((p) => p.step >= Math.min(1000, steps / 2)).map((p) => p.highWaterMiB);
  for (const [name, run] of [
    ['plain', plain],
    ['loader', loader],
  ]) {
    const hw = after(run);
    console.log(
      `\n${name} loop: high-water from ${fmt(Math.min(...hw))} to ${fmt(Math.max(...hw))} MiB after step 1,000 ` +
        `(${run.passes} reclaiming passes moved ${fmt(run.movedOutMiB, 0)} MiB out, ${fmt(run.broughtBackMiB, 1)} MiB came back; ` +
        `headroom ${fmt(run.headroomMiB)} MiB at the end); ${name} / withArena CPU time per step ` +
        `${ratios[name].map((r) => fmt(r, 2)).join(', ')}; median ${fmt(median(ratios[name]), 2)}; wall-clock time per step ` +
        `${wallRatios[name].map((r) => fmt(r, 2)).join(', ')}; median ${fmt(median(wallRatios[name]), 2)}`,
    );
  }
  console.log(
    '\n| public op, 256×256 float32 result | left to the collector µs | disposed µs | inside withArena µs | in-scope speed, left to the collector | CPU time, left / inside |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, label] of [
    ['matmul', 'matmul 256×784·784×256'],
    ['add', 'add'],
    ['relu', 'relu'],
  ]) {
    const o = ops[name];
    console.log(
      `| ${label} | ${fmt(o.plain)} | ${fmt(o.disposed)} | ${fmt(o.scoped)} | ${fmt((o.scoped / o.plain) * 100, 0)}% | ${fmt(o.cpuRatio, 2)} |`,
    );
  }
}
