#!/usr/bin/python3
"""Exports torchaudio's Hybrid Demucs (HDemucs) as a TorchScript file for dme's DemucsSeparator.

The saved module maps a mixture ``[batch, 2, frames]`` (44.1 kHz, already normalised by the caller
with the whole song's mono mean/std) to stems ``[batch, 4, 2, frames]`` in the order
drums, bass, other, vocals. It is *scripted*, not traced, so it accepts any number of frames.

Stock ``torchaudio.models.HDemucs`` does not ``torch.jit.script`` as is; the ``_Scriptable*``
classes below override only ``forward`` (same maths, same attributes, hence the same state_dict
keys) and are swapped onto the stock modules after construction.

Usage (Debian's torch 1.13 / torchaudio 0.13; always /usr/bin/python3):

  # full-size architecture of HDEMUCS_HIGH_MUSDB_PLUS with the published weights (needs internet)
  /usr/bin/python3 scripts/export_demucs.py --pretrained --out hdemucs_high.pt
  # full-size with a state_dict you already have (e.g. torchaudio's hdemucs_high_trained.pt)
  /usr/bin/python3 scripts/export_demucs.py --weights hdemucs_high_trained.pt --out hdemucs_high.pt
  # full-size with RANDOM weights: plumbing and benchmarks only, separates nothing
  /usr/bin/python3 scripts/export_demucs.py --out /tmp/hdemucs_random.pt
  # the tiny test fixture committed under spark-job/src/test/resources/demucs/ (made before the
  # default kept only the attention in fp32, hence the explicit list)
  /usr/bin/python3 scripts/export_demucs.py --tiny --seed 1234 --bf16-fp32-layers norm,attn,lstm \\
      --out spark-job/src/test/resources/demucs/tiny-hdemucs.pt

By default the file also has ``forward_bf16``: a bf16 copy of the layers (make_bf16_twin) that
dme.djl.precision=bf16|auto runs; ``--no-bf16`` leaves it out (a file torchaudio's HDemucs can load with
a strict ``load_state_dict``, as ../shared/bench/py_demucs_baseline.py does). ``--channels-last`` stores
the frequency branch's 2-D convolutions (both forwards) in channels-last memory format (measured in
docs/PERFORMANCE.md, "Other options").

Before exiting, the saved file is reloaded and compared with the eager model on several input
lengths; the exit status is nonzero when they differ by more than --tolerance.
"""

import argparse
import copy
import math
import os
import sys
from typing import List, Optional, Tuple

import torch
import torchaudio
from torch import Tensor
from torch.nn import functional as F
from torchaudio.models import _hdemucs as H

SOURCES = ["drums", "bass", "other", "vocals"]
SAMPLE_RATE = 44100


class _ScriptableHEncLayer(H._HEncLayer):
    """_HEncLayer.forward with the unused 4-D unpacking of a 3-D tensor removed."""

    def forward(self, x: Tensor, inject: Optional[Tensor] = None) -> Tensor:
        if not self.freq and x.dim() == 4:
            x = x.reshape(x.shape[0], -1, x.shape[-1])
        if not self.freq:
            le = x.shape[-1]
            if not le % self.stride == 0:
                x = F.pad(x, (0, self.stride - (le % self.stride)))
        y = self.conv(x)
        if self.empty:
            return y
        if inject is not None:
            if inject.shape[-1] != y.shape[-1]:
                raise ValueError("Injection shapes do not align")
            if inject.dim() == 3 and y.dim() == 4:
                inject = inject[:, :, None]
            y = y + inject
        y = F.gelu(self.norm1(y))
        if self.freq:
            B, C, Fr, T = y.shape
            y = y.permute(0, 2, 1, 3).reshape(-1, C, T)
            y = self.dconv(y)
            y = y.view(B, Fr, C, T).permute(0, 2, 1, 3)
        else:
            y = self.dconv(y)
        z = self.norm2(self.rewrite(y))
        z = F.glu(z, dim=1)
        return z


class _ScriptableHDecLayer(H._HDecLayer):
    """_HDecLayer.forward with the Optional skip refined and the length typed."""

    def forward(self, x: Tensor, skip: Optional[Tensor], length: int) -> Tuple[Tensor, Tensor]:
        if self.freq and x.dim() == 3:
            B, C, T = x.shape
            x = x.view(B, self.chin, -1, T)
        if not self.empty:
            if skip is None:
                raise ValueError("Skip must be given when empty is false.")
            x = x + skip
            y = F.glu(self.norm1(self.rewrite(x)), dim=1)
        else:
            y = x
            if skip is not None:
                raise ValueError("Skip must be none when empty is true.")
        z = self.norm2(self.conv_tr(y))
        if self.freq:
            if self.pad > 0:
                z = z[..., self.pad : -self.pad, :]
        else:
            z = z[..., self.pad : self.pad + length]
            if z.shape[-1] != length:
                raise ValueError("Last index of z must be equal to length")
        if not self.last:
            z = F.gelu(z)
        return z, y


def _unfold(a: Tensor, kernel_size: int, stride: int) -> Tensor:
    """torchaudio's _unfold (frames of kernel_size every stride, end zero-padded), typed."""
    shape = list(a.shape[:-1])
    length = int(a.shape[-1])
    n_frames = int(math.ceil(length / stride))
    tgt_length = (n_frames - 1) * stride + kernel_size
    a = F.pad(a, [0, tgt_length - length])
    strides: List[int] = []
    for dim in range(a.dim()):
        strides.append(a.stride(dim))
    if strides[-1] != 1:
        raise ValueError("Data should be contiguous.")
    strides = strides[:-1] + [stride, 1]
    shape.append(n_frames)
    shape.append(kernel_size)
    return a.as_strided(shape, strides)


class _ScriptableBLSTM(H._BLSTM):
    """_BLSTM.forward with the output list typed (the stock one reassigns a list to a Tensor)."""

    def forward(self, x: Tensor) -> Tensor:
        B, C, T = x.shape
        y = x
        framed = False
        width = 0
        stride = 0
        nframes = 0
        if T > self.max_steps:
            width = self.max_steps
            stride = width // 2
            frames = _unfold(x, width, stride)
            nframes = frames.shape[2]
            framed = True
            x = frames.permute(0, 2, 1, 3).reshape(-1, C, width)
        x = x.permute(2, 0, 1)
        x = self.lstm(x)[0]
        x = self.linear(x)
        x = x.permute(1, 2, 0)
        if framed:
            out: List[Tensor] = []
            frames = x.reshape(B, -1, C, width)
            limit = stride // 2
            for k in range(nframes):
                if k == 0:
                    out.append(frames[:, k, :, :-limit])
                elif k == nframes - 1:
                    out.append(frames[:, k, :, limit:])
                else:
                    out.append(frames[:, k, :, limit:-limit])
            x = torch.cat(out, -1)[..., :T]
        if self.skip:
            x = x + y
        return x


class _ScriptableHDemucs(H.HDemucs):
    """HDemucs.forward without indexing ModuleLists by a variable.

    The time encoders do not depend on the frequency branch, so they run first; the one "empty"
    time encoder's output is injected into the frequency encoder of the same index. In the decoder,
    only the empty time decoder needs the frequency branch (its ``pre``), kept from the frequency
    decoder of matching index. The arithmetic is the stock one, operation for operation.
    """

    # a constant, so that scripting drops the layout changes from a default export's graph
    __constants__ = ["channels_last"]

    def _prepare_scripting(self) -> None:
        self.compute_bf16 = False
        self.channels_last = False
        self.inject_index = -1
        for i, tenc in enumerate(self.time_encoder):
            if tenc.empty:
                self.inject_index = i
        offset = self.depth - len(self.time_decoder)
        self.pre_index = -1
        for i, tdec in enumerate(self.time_decoder):
            if tdec.empty:
                self.pre_index = offset + i
        if self.inject_index < 0 or self.pre_index < 0:
            raise ValueError("unsupported HDemucs configuration: no merge layer between branches")

    def _spec(self, x: Tensor) -> Tensor:
        hl = self.hop_length
        nfft = self.nfft
        if hl != nfft // 4:
            raise ValueError("Hop length must be nfft // 4")
        le = int(math.ceil(x.shape[-1] / hl))
        pad = hl // 2 * 3
        x = self._pad1d(x, pad, pad + le * hl - x.shape[-1], mode="reflect")
        z = H._spectro(x, nfft, hl)[..., :-1, :]
        if z.shape[-1] != le + 4:
            raise ValueError("Spectrogram's last dimension must be 4 + input size divided by stride")
        z = z[..., 2 : 2 + le]
        return z

    def _ispec(self, z: Tensor, length: int) -> Tensor:
        hl = self.hop_length
        z = F.pad(z, [0, 0, 0, 1])
        z = F.pad(z, [2, 2])
        pad = hl // 2 * 3
        le = hl * int(math.ceil(length / hl)) + 2 * pad
        x = H._ispectro(z, hl, length=le)
        x = x[..., pad : pad + length]
        return x

    def _pad1d(self, x: Tensor, padding_left: int, padding_right: int, mode: str = "zero",
               value: float = 0.0) -> Tensor:
        length = x.shape[-1]
        if mode == "reflect":
            max_pad = max(padding_left, padding_right)
            if length <= max_pad:
                x = F.pad(x, (0, max_pad - length + 1))
        return F.pad(x, (padding_left, padding_right), mode, value)

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() != 3:
            raise ValueError("Expected 3D tensor with dimensions (batch, channel, frames).")
        if input.shape[1] != self.audio_channels:
            raise ValueError("The channel dimension of input Tensor must match audio_channels of HDemucs model.")
        length = input.shape[-1]

        z = self._spec(input)
        x = self._magnitude(z)
        B, C, Fq, T = x.shape

        mean = x.mean(dim=(1, 2, 3), keepdim=True)
        std = x.std(dim=(1, 2, 3), keepdim=True)
        x = (x - mean) / (1e-5 + std)

        xt = input
        meant = xt.mean(dim=(1, 2), keepdim=True)
        stdt = xt.std(dim=(1, 2), keepdim=True)
        xt = (xt - meant) / (1e-5 + stdt)
        if self.compute_bf16:
            # the bf16 twin: spectrogram and normalisation above stay fp32, the layers run in bf16
            x = x.to(torch.bfloat16)
            xt = xt.to(torch.bfloat16)

        if self.channels_last:
            # the frequency branch's Conv2d weights are channels-last (use_channels_last): feed them alike
            x = x.contiguous(memory_format=torch.channels_last)

        saved: List[Tensor] = []
        saved_t: List[Tensor] = []
        lengths: List[int] = []
        lengths_t: List[int] = []

        inject: Optional[Tensor] = None
        for tenc in self.time_encoder:
            lengths_t.append(xt.shape[-1])
            xt = tenc(xt)
            if not tenc.empty:
                saved_t.append(xt)
            else:
                inject = xt

        for idx, encode in enumerate(self.freq_encoder):
            lengths.append(x.shape[-1])
            if idx == self.inject_index:
                x = encode(x, inject)
            else:
                x = encode(x, None)
            if idx == 0 and self.freq_emb is not None:
                frs = torch.arange(x.shape[-2], device=x.device)
                emb = self.freq_emb(frs).t()[None, :, :, None].expand_as(x)
                x = x + self.freq_emb_scale * emb
            saved.append(x)

        x = torch.zeros_like(x)
        xt = torch.zeros_like(x)
        kept_pre: Optional[Tensor] = None
        for idx, decode in enumerate(self.freq_decoder):
            skip = saved.pop(-1)
            x, pre = decode(x, skip, lengths.pop(-1))
            if idx == self.pre_index:
                kept_pre = pre

        for tdec in self.time_decoder:
            length_t = lengths_t.pop(-1)
            if tdec.empty:
                if kept_pre is None:
                    raise ValueError("no frequency-branch output for the merge layer")
                if kept_pre.shape[2] != 1:
                    raise ValueError("If tdec empty is True, pre shape must have one frequency")
                xt, _ = tdec(kept_pre[:, :, 0], None, length_t)
            else:
                skip = saved_t.pop(-1)
                xt, _ = tdec(xt, skip, length_t)

        if len(saved) != 0:
            raise AssertionError("saved is not empty")
        if len(lengths_t) != 0:
            raise AssertionError("lengths_t is not empty")
        if len(saved_t) != 0:
            raise AssertionError("saved_t is not empty")

        if self.compute_bf16:
            x = x.float()
            xt = xt.float()
        if self.channels_last:
            x = x.contiguous()  # the mask and the iSTFT expect the default layout
        S = len(self.sources)
        x = x.view(B, S, -1, Fq, T)
        x = x * std[:, None] + mean[:, None]
        zout = self._mask(x)
        x = self._ispec(zout, length)

        xt = xt.view(B, S, -1, length)
        xt = xt * stdt[:, None] + meant[:, None]
        return xt + x


class _ScriptableHDemucsWithBf16(_ScriptableHDemucs):
    """The fp32 model plus ``forward_bf16``, which runs its bf16 twin (see :func:`make_bf16_twin`)."""

    @torch.jit.export
    def forward_bf16(self, input: Tensor) -> Tensor:
        return self.bf16_twin(input)


class _Fp32(torch.nn.Module):
    """Runs a layer in fp32 inside the bf16 twin: input cast up, output cast back to the caller's dtype."""

    def __init__(self, layer: torch.nn.Module):
        super().__init__()
        self.layer = layer

    def forward(self, x: Tensor) -> Tensor:
        return self.layer(x.float()).to(x.dtype)


# Layer kinds the bf16 twin can keep in fp32 (--bf16-fp32-layers). By default only the local
# attention: its position decay is built from arange(T), which bf16's 8-bit mantissa cannot count
# beyond 256. Group norm and the BiLSTM run in bf16: kept in fp32 they cost a cast each way, the
# BiLSTM runs at fp32 speed (twice its bf16 time) and group norm on the twin's activations took 2.8x
# its time in the fp32 forward; without them the bf16 forward is 1.14x faster in DJL with the same
# devset fidelity (worst stem 43.6 dB against fp32 either way; docs/PERFORMANCE.md, "Fewer fp32 islands").
_FP32_LAYERS = {"norm": torch.nn.GroupNorm, "attn": H._LocalState, "lstm": H._BLSTM}
_DEFAULT_FP32_LAYERS = "attn"


_SWAPS = {
    H._HEncLayer: _ScriptableHEncLayer,
    H._HDecLayer: _ScriptableHDecLayer,
    H._BLSTM: _ScriptableBLSTM,
    H.HDemucs: _ScriptableHDemucs,
}


def make_scriptable(model: H.HDemucs) -> H.HDemucs:
    """Swaps the scriptable subclasses onto a stock model in place (parameters untouched)."""
    for module in model.modules():
        replacement = _SWAPS.get(type(module))
        if replacement is not None:
            module.__class__ = replacement
    model._prepare_scripting()
    return model


def use_channels_last(model: H.HDemucs) -> H.HDemucs:
    """Puts the frequency branch's 4-D weights (Conv2d, ConvTranspose2d) in channels-last, the layout
    oneDNN convolves without reordering; forward then feeds them channels-last activations. The 1-D
    layers and the STFT/iSTFT keep the default layout. Strides survive torch.jit.save and deepcopy."""
    for layers in (model.freq_encoder, model.freq_decoder):
        layers.to(memory_format=torch.channels_last)
    model.channels_last = True
    return model


def make_bf16_twin(model: H.HDemucs, fp32_layers: List[str]) -> H.HDemucs:
    """A bf16 copy of a scriptable model: convolutions, embeddings and linear layers in bf16, the
    STFT, iSTFT, input/output normalisation and the ``fp32_layers`` kinds in fp32. Its weights are
    saved under ``bf16_twin.`` in the file's state_dict, next to the stock model's keys."""
    keep = tuple(_FP32_LAYERS[k] for k in fp32_layers)
    twin = copy.deepcopy(model)
    reference = copy.deepcopy(model)
    twin.to(torch.bfloat16)
    names = [name for name, m in twin.named_modules() if name and isinstance(m, keep)]
    replaced: List[str] = []
    for name in names:
        if any(name.startswith(r + ".") for r in replaced):
            continue
        parent_name, _, child = name.rpartition(".")
        parent = twin.get_submodule(parent_name) if parent_name else twin
        setattr(parent, child, _Fp32(reference.get_submodule(name)))
        replaced.append(name)
    twin.compute_bf16 = True
    twin.eval()
    return twin


def build(args) -> H.HDemucs:
    if args.tiny:
        # Small enough to commit (0.43 MB) yet every kind of layer is present: LSTM and local
        # attention start at layer 2 (not 4) so that the fixture exercises them too.
        return H.HDemucs(sources=SOURCES, channels=4, nfft=256, depth=4, dconv_lstm=2, dconv_attn=2)
    # torchaudio.pipelines.HDEMUCS_HIGH_MUSDB_PLUS uses hdemucs_high(sources) = HDemucs(nfft=4096, depth=6)
    return torchaudio.models.hdemucs_high(sources=SOURCES)


def load_weights(model: H.HDemucs, args) -> str:
    if args.pretrained:
        try:
            bundle = torchaudio.pipelines.HDEMUCS_HIGH_MUSDB_PLUS
            path = torchaudio.utils.download_asset(bundle._model_path)
            state = torch.load(path, map_location="cpu")
        except Exception as e:  # noqa: BLE001 - any download failure ends the same way
            sys.exit("export_demucs: cannot download the HDEMUCS_HIGH_MUSDB_PLUS weights (" + type(e).__name__
                     + ": " + str(e) + "). This machine probably has no internet access; download "
                     "models/hdemucs_high_trained.pt from torchaudio's asset server elsewhere and pass it "
                     "with --weights FILE.")
        model.load_state_dict(state)
        return "pretrained HDEMUCS_HIGH_MUSDB_PLUS"
    if args.weights:
        state = torch.load(args.weights, map_location="cpu")
        if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
            state = state["state_dict"]
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            sys.exit("export_demucs: " + args.weights + " does not fit the architecture: missing "
                     + str(missing[:5]) + (" ..." if len(missing) > 5 else "") + ", unexpected "
                     + str(unexpected[:5]) + (" ..." if len(unexpected) > 5 else ""))
        return "weights from " + args.weights
    banner = "#" * 78
    print(banner + "\n# WARNING: RANDOM WEIGHTS (seed %d). This model separates NOTHING; it is for\n"
          "# plumbing tests and benchmarks only. Use --pretrained or --weights FILE for real use.\n"
          % args.seed + banner, file=sys.stderr)
    return "RANDOM weights (seed %d)" % args.seed


def verify(eager: H.HDemucs, path: str, lengths: List[int], tolerance: float, seed: int) -> float:
    """Reloads the saved file and compares it with torchaudio's stock eager model; returns the worst
    max-abs difference."""
    loaded = torch.jit.load(path, map_location="cpu")
    loaded.eval()
    gen = torch.Generator().manual_seed(seed + 1)
    worst = 0.0
    with torch.no_grad():
        for n in lengths:
            x = torch.randn(1, 2, n, generator=gen)
            expected = eager(x)
            actual = loaded(x)
            if actual.shape != (1, len(SOURCES), 2, n):
                raise SystemExit("export_demucs: TorchScript output shape %s for input length %d"
                                 % (tuple(actual.shape), n))
            diff = (expected - actual).abs().max().item()
            scale = expected.abs().max().item()
            print("verify: length %7d  max|eager - script| = %.3g  (max|out| = %.3g)" % (n, diff, scale))
            worst = max(worst, diff)
    keys = set(k for k in loaded.state_dict().keys() if not k.startswith("bf16_twin."))
    if keys != set(eager.state_dict().keys()):
        raise SystemExit("export_demucs: the file's state_dict keys differ from torchaudio's HDemucs")
    if hasattr(loaded, "forward_bf16"):
        with torch.no_grad():
            for n in lengths:
                x = torch.randn(1, 2, n, generator=gen)
                expected = eager(x)
                try:
                    actual = loaded.forward_bf16(x)
                except RuntimeError as e:  # torch 1.13 lacks some bf16 CPU kernels that libtorch 2.x has
                    print("verify: forward_bf16 does not run in torch %s (%s); dme checks it at load"
                          % (torch.__version__, str(e).splitlines()[0]))
                    break
                sdr = 10 * torch.log10((expected ** 2).sum() / ((expected - actual) ** 2).sum()).item()
                print("verify: length %7d  forward_bf16 vs eager fp32: %.1f dB SDR" % (n, sdr))
    if not worst <= tolerance:
        raise SystemExit("export_demucs: saved TorchScript differs from the eager model by %.3g > %.3g"
                         % (worst, tolerance))
    return worst


def main(argv=None) -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes module constants in set order; a fixed hash seed makes the file
        # byte-for-byte reproducible (the weights are reproducible from --seed either way).
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="TorchScript file to write")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--pretrained", action="store_true",
                     help="published HDEMUCS_HIGH_MUSDB_PLUS weights via torchaudio (needs internet)")
    src.add_argument("--weights", metavar="FILE", help="a state_dict for the hdemucs_high architecture")
    p.add_argument("--tiny", action="store_true", help="small model for test fixtures (random weights)")
    p.add_argument("--freeze", action="store_true",
                   help="torch.jit.freeze the scripted module (constants folded; see docs/PERFORMANCE.md)")
    p.add_argument("--channels-last", action="store_true",
                   help="frequency-branch convolutions in channels-last memory format (see docs/PERFORMANCE.md)")
    p.add_argument("--no-bf16", action="store_true",
                   help="leave out the bf16 twin (forward_bf16) that dme.djl.precision=bf16|auto runs")
    p.add_argument("--bf16-fp32-layers", default=_DEFAULT_FP32_LAYERS,
                   help="comma-separated layer kinds the bf16 twin keeps in fp32: norm, attn, lstm (default "
                        + _DEFAULT_FP32_LAYERS + "; the committed test fixture was made with norm,attn,lstm)")
    p.add_argument("--seed", type=int, default=1234, help="seed for random weights and verification inputs")
    p.add_argument("--verify-seconds", default=None,
                   help="comma-separated input lengths in seconds to verify (default 0.5,1,1.37 tiny; 1,3.3 full)")
    p.add_argument("--tolerance", type=float, default=1e-4, help="max abs difference eager vs TorchScript")
    args = p.parse_args(argv)
    if args.tiny and (args.pretrained or args.weights):
        p.error("--tiny has no published weights; it is random by construction")

    torch.manual_seed(args.seed)
    model = build(args)
    what = "tiny HDemucs" if args.tiny else "hdemucs_high"
    what += ", " + load_weights(model, args)
    model.eval()
    stock = copy.deepcopy(model)  # verified against torchaudio's own forward, not ours
    make_scriptable(model)
    if args.channels_last:
        use_channels_last(model)  # before the twin, which copies the layout
        what += ", channels-last"

    if not args.no_bf16:
        kinds = [k for k in args.bf16_fp32_layers.split(",") if k]
        unknown = [k for k in kinds if k not in _FP32_LAYERS]
        if unknown:
            p.error("unknown --bf16-fp32-layers kind(s) %s; use %s" % (unknown, ",".join(_FP32_LAYERS)))
        twin = make_bf16_twin(model, kinds)
        model.__class__ = _ScriptableHDemucsWithBf16
        model.bf16_twin = twin
        what += ", bf16 twin (fp32: %s)" % (",".join(kinds) or "none")
    scripted = torch.jit.script(model)
    if args.freeze:
        # parameters become constants of the graph; the file no longer has a state_dict
        scripted = torch.jit.freeze(scripted, preserved_attrs=[] if args.no_bf16 else ["forward_bf16"])
        what += ", frozen"
    scripted.save(args.out)
    params = sum(t.numel() for k, t in model.state_dict().items() if not k.startswith("bf16_twin."))
    print("saved %s (%s, %d parameters) with torch %s" % (args.out, what, params, torch.__version__))

    if args.verify_seconds:
        secs = [float(s) for s in args.verify_seconds.split(",")]
    else:
        secs = [0.5, 1.0, 1.37] if args.tiny else [1.0, 3.3]
    worst = verify(stock, args.out, [int(round(s * SAMPLE_RATE)) for s in secs], args.tolerance, args.seed)
    print("verified: TorchScript reproduces the eager model (worst max abs diff %.3g <= %.3g)"
          % (worst, args.tolerance))
    return 0


if __name__ == "__main__":
    sys.exit(main())
