#!/usr/bin/python3
"""Where a TorchScript Demucs forward spends its time: per operator and per part of the model.

  # Debian's torch 1.13 (one warm-up call, one profiled call on 10 s of stereo noise, sigma 0.1)
  taskset -c 0 /usr/bin/python3 scripts/profile_demucs.py --model MODEL.pt [--method forward] [--seconds 10]
  # libtorch 2.7.1 as the job runs it: DemucsBenchmark records a Chrome trace of its timed calls
  DME_JAVA_OPTS=-Ddme.bench.profile=/tmp/dme-bench/trace.json VARIANTS=djl-thp-bf16 THREADS=1 WARMUP=1 TIMED=1 \\
      taskset -c 0 scripts/bench_demucs.sh MODEL.pt
  /usr/bin/python3 scripts/profile_demucs.py --trace /tmp/dme-bench/trace.json

Prints the operators by self time, then the forward split into parts: the layers export_demucs.py
can keep in fp32 inside forward_bf16 (group norm, local attention, BiLSTM: their whole time, and the
casts of their fp32 wrappers) and everything else summed by operator kind. torch 1.13's forward_bf16
does not run hdemucs_high (no bf16 ConvTranspose2d kernel), so bf16 is profiled through DJL only.
"""

import argparse
import collections
import json
import os
import tempfile

# operator -> kind for the time outside the islands; anything not listed is "other"
KINDS = {
    "conv": ("aten::mkldnn_convolution", "aten::_slow_conv2d_forward", "aten::thnn_conv2d",
             "aten::slow_conv_transpose2d", "aten::_convolution", "aten::convolution", "aten::conv1d",
             "aten::conv2d", "aten::conv_transpose1d", "aten::conv_transpose2d"),
    "matmul": ("aten::addmm", "aten::mm", "aten::bmm", "aten::matmul", "aten::linear", "aten::einsum"),
    "cast": ("aten::to", "aten::_to_copy"),
    "copy/layout": ("aten::copy_", "aten::clone", "aten::contiguous", "aten::cat", "aten::stack",
                    "aten::constant_pad_nd", "aten::pad", "aten::reflection_pad1d", "aten::reflection_pad2d"),
    "gelu/glu": ("aten::gelu", "aten::glu"),
    "elementwise": ("aten::add", "aten::add_", "aten::mul", "aten::mul_", "aten::sub", "aten::div",
                    "aten::div_", "aten::abs", "aten::exp", "aten::sigmoid", "aten::tanh", "aten::sqrt",
                    "aten::mean", "aten::std", "aten::var", "aten::sum", "aten::pow"),
    "stft/istft": ("aten::stft", "aten::istft", "aten::_fft_r2c", "aten::_fft_c2r", "aten::_fft_c2c",
                   "aten::view_as_real", "aten::view_as_complex", "aten::polar", "aten::angle"),
    "alloc": ("aten::empty", "aten::empty_like", "aten::empty_strided", "aten::zeros", "aten::zeros_like",
              "aten::zero_", "aten::fill_", "aten::resize_"),
}
KIND_OF = {op: kind for kind, ops in KINDS.items() for op in ops}


class Node:
    __slots__ = ("name", "start", "dur", "children", "parent")

    def __init__(self, name, start, dur):
        self.name, self.start, self.dur, self.children, self.parent = name, start, dur, [], None

    def self_time(self):
        return self.dur - sum(c.dur for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


def read_trace(path):
    """Complete ('X') events of a Chrome trace as trees nested by time, one root list per thread."""
    with open(path) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            by_thread[(e.get("pid"), e.get("tid"))].append(Node(e["name"], float(e["ts"]), float(e["dur"])))
    roots = []
    for nodes in by_thread.values():
        nodes.sort(key=lambda n: (n.start, -n.dur))
        stack = []
        for n in nodes:
            while stack and n.start >= stack[-1].start + stack[-1].dur - 1e-3:
                stack.pop()
            if stack:
                n.parent = stack[-1]
                stack[-1].children.append(n)
            else:
                roots.append(n)
            stack.append(n)
    return roots


def _script_frame(node, up):
    """The TorchScript call `up` levels above node, or None when the trace has no such frame (torch
    1.13's trace records operators only, libtorch 2.x's legacy profiler also records script calls)."""
    for _ in range(up):
        node = node.parent
        if node is None or node.name.startswith("aten::") or node.parent is None:
            return None
    return node


def island_roots(roots):
    """{node: kind} for each group norm, local attention and BiLSTM call (the outermost node of it).
    Without script frames, the attention cannot be told apart and group norm and LSTM are their
    operators alone (the BiLSTM's linear layer and reshapes then count as the rest)."""
    islands = {}
    for root in roots:
        for n in root.walk():
            if n.name == "aten::group_norm":
                islands[_script_frame(n, 2) or n] = "group norm"  # GroupNorm.forward -> F.group_norm -> aten
            elif n.name == "aten::softmax":
                frame = _script_frame(n, 1)  # _LocalState.forward: the model's only softmax
                if frame is not None:
                    islands[frame] = "local attention"
            elif n.name == "aten::lstm":
                islands[_script_frame(n, 2) or n] = "BiLSTM"  # _BLSTM.forward -> LSTM.forward -> aten
    return islands


def wrapper_casts(node):
    """Time of the casts around an island when it sits in export_demucs.py's _Fp32 wrapper."""
    parent = node.parent
    if parent is None:
        return 0.0
    others = [c for c in parent.children if c is not node]
    if others and all(c.name == "aten::to" for c in others):
        return sum(c.dur for c in others)
    return 0.0


def report(roots, rows):
    nodes = [n for r in roots for n in r.walk()]
    total = sum(n.self_time() for n in nodes)
    by_op = collections.Counter()
    calls = collections.Counter()
    for n in nodes:
        by_op[n.name] += n.self_time()
        calls[n.name] += 1
    print("%-36s %9s %7s %7s" % ("operator (by self time)", "self ms", "share", "calls"))
    for name, t in by_op.most_common(rows):
        print("%-36s %9.1f %6.1f%% %7d" % (name, t / 1e3, 100 * t / total, calls[name]))

    islands = island_roots(roots)
    inside = set()
    parts = collections.Counter()
    for node, kind in islands.items():
        for n in node.walk():
            inside.add(n)
        parts["island: " + kind] += node.dur
        casts = wrapper_casts(node)
        if casts:
            parts["island casts: " + kind] += casts
            for c in node.parent.children:
                if c is not node:
                    inside.update(c.walk())
    for n in nodes:
        if n not in inside:
            parts[KIND_OF.get(n.name, "other")] += n.self_time()
    print("\n%.1f ms of operator time; by part of the model (islands: whole calls, casts of the fp32 wrapper):"
          % (total / 1e3))
    for part, t in parts.most_common():
        print("  %-32s %9.1f ms %6.1f%%" % (part, t / 1e3, 100 * t / total))
    island_total = sum(t for p, t in parts.items() if p.startswith("island"))
    print("  %-32s %9.1f ms %6.1f%%" % ("= all islands with casts", island_total / 1e3, 100 * island_total / total))


def profile_torch(args):
    # Debian's torch does its matrix products in OpenBLAS, whose own thread pool defaults to all CPUs
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import torch  # only this mode needs it

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    model = torch.jit.load(args.model, map_location="cpu").eval()
    call = getattr(model, args.method)
    x = torch.randn(1, 2, int(round(args.seconds * 44100)), generator=torch.Generator().manual_seed(1)) * 0.1
    with torch.no_grad():
        call(x)
        with torch.autograd.profiler.profile() as prof:
            call(x)
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        prof.export_chrome_trace(path)
        print("torch %s, %s, %.1f s segment, %d thread(s)" % (torch.__version__, args.method, args.seconds,
                                                               args.threads))
        report(read_trace(path), args.rows)
    finally:
        os.remove(path)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", help="TorchScript file to profile with this Python's torch")
    src.add_argument("--trace", help="Chrome trace to summarise (DemucsBenchmark -Ddme.bench.profile=FILE)")
    p.add_argument("--method", default="forward", choices=["forward", "forward_bf16"])
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--rows", type=int, default=20)
    args = p.parse_args()
    if args.trace:
        report(read_trace(args.trace), args.rows)
    else:
        profile_torch(args)


if __name__ == "__main__":
    main()
