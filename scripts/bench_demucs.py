#!/usr/bin/python3
"""Throughput of a TorchScript Demucs in Python (Debian's torch), the counterpart of
dme.job.separate.demucs.DemucsBenchmark; scripts/bench_demucs.sh runs both on the same file.

Usage: bench_demucs.py MODEL.pt SEGMENT_SECONDS WARMUP TIMED THREADS [--inference-mode] [--no-optimize]
                       [--label SUFFIX]
Prints one JSON line with the same fields as the Java benchmark.
"""

import argparse
import json
import resource
import time

import torch

SAMPLE_RATE = 44100


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("segment_seconds", type=float)
    p.add_argument("warmup", type=int)
    p.add_argument("timed", type=int)
    p.add_argument("threads", type=int)
    p.add_argument("--inference-mode", action="store_true", help="torch.inference_mode instead of no_grad")
    p.add_argument("--label", default="", help="suffix for the impl field, e.g. -thp")
    p.add_argument("--no-optimize", action="store_true",
                   help="torch.jit.optimized_execution(False), like DJL's ai.djl.pytorch.graph_optimizer=false")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    t0 = time.perf_counter()
    model = torch.jit.load(a.model, map_location="cpu")
    model.eval()
    load_s = time.perf_counter() - t0

    frames = int(round(a.segment_seconds * SAMPLE_RATE))
    x = 0.1 * torch.randn(1, 2, frames, generator=torch.Generator().manual_seed(1))
    grad = torch.inference_mode() if a.inference_mode else torch.no_grad()
    warm, runs, cpu = [], [], []
    with grad, torch.jit.optimized_execution(not a.no_optimize):
        for i in range(a.warmup + a.timed):
            c = time.process_time()
            t = time.perf_counter()
            y = model(x)
            y = y.numpy().copy()  # the same copy-out the Java side does
            (warm if i < a.warmup else runs).append(round(time.perf_counter() - t, 3))
            if i >= a.warmup:
                cpu.append(round(time.process_time() - c, 3))
    print(json.dumps({
        "impl": "python-torch-" + torch.__version__ + ("-inference_mode" if a.inference_mode else "-no_grad") + a.label,
        "graph_optimizer": str(not a.no_optimize).lower(),
        "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
        "segment_s": a.segment_seconds, "load_s": round(load_s, 3),
        "warmup_s": warm, "runs_s": runs, "cpu_s": cpu,
        "audio_s_per_wall_s": round(a.timed * a.segment_seconds / sum(runs), 4),
        "audio_s_per_cpu_s": round(a.timed * a.segment_seconds / sum(cpu), 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == "__main__":
    main()
