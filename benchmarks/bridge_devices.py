"""The torch bridge on CPU and on CUDA, same instances, same process, reported as ratios.

Two measurements per hypercube instance (ReLU, bias, lam1 = lam2 = 0.05, float64):

1. *Throughput*: seconds per evaluation of the defining loss and its gradient
   (``numeric.torch_bridge.train.torch_loss`` + backward), median of 5 blocks of up to 50
   evaluations (about 0.2 s each) after a warm-up, CUDA synchronised around each block. Ratio = CPU / CUDA
   (> 1: the GPU is faster).
2. *End to end*: ``train_hypercube`` (Adam warm-up + L-BFGS) from the same seeds on both devices:
   final losses, their relative gap to the closed-form optimum E*, the largest relative
   disagreement between the devices' final losses per seed, and wall time.

On a machine without CUDA only the CPU rows are produced (and the JSON says so). The GPU rows
in benchmarks/README.md were measured on a lent H200 (see there). Run:
``python benchmarks/bridge_devices.py [--out FILE.json]``.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import platform
import statistics
import time


from numeric.tasks import hypercube
from numeric.torch_bridge import train_hypercube
from numeric.torch_bridge.train import torch_loss

LAM = 0.05
THROUGHPUT = ((2, 8), (4, 16), (6, 64), (8, 256), (10, 1024), (10, 4096), (12, 4096))
END_TO_END = ((2, 8), (3, 12), (4, 16), (6, 24))


def seconds_per_gradient(torch, device, dY, width, budget=0.2, blocks=5):
    task = hypercube(dY)
    t = lambda a: torch.tensor(a, dtype=torch.float64, device=device)
    Xt, Y = t(task.X_tilde()), t(task.Y)
    g = torch.Generator(device="cpu").manual_seed(0)
    W = (0.5 * torch.randn(width, Xt.shape[0], generator=g, dtype=torch.float64)).to(device)
    W2 = (0.5 * torch.randn(Y.shape[0], width, generator=g, dtype=torch.float64)).to(device)
    W.requires_grad_(True)
    W2.requires_grad_(True)

    def block():
        for _ in range(reps):
            W.grad = W2.grad = None
            torch_loss(W, W2, Xt, Y, LAM, LAM, torch.relu).backward()
        if device == "cuda":
            torch.cuda.synchronize()

    reps = 1
    t0 = time.perf_counter()
    block()                                                        # warm-up (kernels, allocator)
    reps = int(min(50, max(1, budget / (time.perf_counter() - t0))))
    times = []
    for _ in range(blocks):
        t0 = time.perf_counter()
        block()
        times.append((time.perf_counter() - t0) / reps)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(pathlib.Path(__file__).with_suffix(".json")))
    parser.add_argument("--steps", type=int, default=500)
    args = parser.parse_args(argv)
    import torch
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    info = {"torch": torch.__version__, "python": platform.python_version(),
            "cpu_threads": torch.get_num_threads(), "devices": devices,
            "gpu": torch.cuda.get_device_name(0) if "cuda" in devices else None}
    print(json.dumps(info))
    rows = []
    print(f"{'dY':>3} {'P':>5} {'width':>6} " + " ".join(f"{d + ' [s/grad]':>16}" for d in devices)
          + ("  cpu/cuda" if "cuda" in devices else ""))
    for dY, width in THROUGHPUT:
        row = {"dY": dY, "P": 2 ** dY, "width": width}
        for d in devices:
            row[d] = seconds_per_gradient(torch, d, dY, width)
        if "cuda" in devices:
            row["cpu_over_cuda"] = row["cpu"] / row["cuda"]
        rows.append(row)
        print(f"{dY:>3} {2 ** dY:>5} {width:>6} " + " ".join(f"{row[d]:>16.2e}" for d in devices)
              + (f"  {row['cpu_over_cuda']:>8.2f}" if "cuda" in devices else ""), flush=True)
    runs = []
    print(f"\n{'dY':>3} {'width':>6} {'device':>6} {'best gap':>10} {'worst gap':>10} {'seconds':>8}"
          f" {'max |dloss|/loss vs cpu':>24}")
    for dY, width in END_TO_END:
        per = {}
        for d in devices:
            out = train_hypercube(dY=dY, lam1=LAM, lam2=LAM, width=width, seeds=3,
                                  steps=args.steps, device=d)
            per[d] = out["runs"]
        for d in devices:
            gaps = [r["gap"] for r in per[d]]
            diff = max(abs(a["loss"] - b["loss"]) / abs(a["loss"]) for a, b in zip(per["cpu"], per[d]))
            secs = sum(r["seconds"] for r in per[d])
            runs.append({"dY": dY, "width": width, "device": d, "gaps": gaps, "seconds": secs,
                         "max_rel_loss_diff_vs_cpu": diff,
                         "ps": [r.get("ps") for r in per[d]]})
            print(f"{dY:>3} {width:>6} {d:>6} {min(gaps):>10.1e} {max(gaps):>10.1e} {secs:>8.2f}"
                  f" {diff:>24.1e}", flush=True)
    pathlib.Path(args.out).write_text(json.dumps({"info": info, "throughput": rows,
                                                  "end_to_end": runs}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
