#!/usr/bin/python3
"""Makes the Java-vs-Python fixture for DemucsSeparatorTest.

Runs the tiny TorchScript HDemucs in Python exactly as dme.job.separate.demucs.DemucsSeparator
runs one chunk shorter than a segment:

  normalised = (mix - mean) / (std + 1e-8)      mean/std of the whole "song"'s mono mixture
  padded     = normalised zero-padded at the end to the segment length
  stems      = model(padded)[..., :n] * (std + 1e-8) + mean

and writes, next to the model (no extra libraries needed to read them from Java):

  reference.json          header: sample rate, frames, segment, stats, shapes, file names, versions
  reference-input.s16     input, int16 little-endian, planar [2][n]   (value = s16 / 32768)
  reference-output.f32    stems, float32 little-endian, planar [4][2][n] (drums, bass, other, vocals)

The input is a deterministic 0.25 s stereo signal (tones, a noise burst and clicks) quantised to
16 bits, so Java reads exactly the samples Python used. The 0.5 s segment makes the model see more
than 200 frames at its LSTM layers, so the framed BLSTM path is part of the comparison.

Command that made the committed fixture (after export_demucs.py --tiny):

  /usr/bin/python3 scripts/make_demucs_reference.py --model spark-job/src/test/resources/demucs/tiny-hdemucs.pt
"""

import argparse
import json
import math
import os
import sys

import torch

SAMPLE_RATE = 44100
SOURCES = ["drums", "bass", "other", "vocals"]


def make_input(frames: int, seed: int) -> torch.Tensor:
    """Deterministic stereo test signal as int16 [2][frames]."""
    gen = torch.Generator().manual_seed(seed)
    t = torch.arange(frames, dtype=torch.float64) / SAMPLE_RATE
    left = 0.30 * torch.sin(2 * math.pi * 110.0 * t) + 0.15 * torch.sin(2 * math.pi * 1320.0 * t)
    right = 0.25 * torch.sin(2 * math.pi * 220.0 * t + 0.5) + 0.10 * torch.sin(2 * math.pi * 3520.0 * t)
    burst = torch.zeros(frames, dtype=torch.float64)
    b0, b1 = frames // 3, frames // 3 + frames // 8
    burst[b0:b1] = 0.2 * torch.randn(b1 - b0, generator=gen, dtype=torch.float64)
    clicks = torch.zeros(frames, dtype=torch.float64)
    clicks[:: SAMPLE_RATE // 20] = 0.6
    mix = torch.stack([left + burst + clicks, right + 0.5 * burst + clicks])
    return torch.clamp(torch.round(mix * 32768.0), -32768, 32767).to(torch.int16)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="tiny TorchScript file; outputs go to its folder")
    p.add_argument("--seconds", type=float, default=0.25, help="input length")
    p.add_argument("--segment-seconds", type=float, default=0.5, help="segment the chunk is padded to")
    p.add_argument("--seed", type=int, default=20240611)
    args = p.parse_args(argv)

    frames = int(round(args.seconds * SAMPLE_RATE))
    segment = int(round(args.segment_seconds * SAMPLE_RATE))
    if frames > segment:
        p.error("--seconds must not exceed --segment-seconds (one chunk, zero-padded)")
    out_dir = os.path.dirname(os.path.abspath(args.model))

    pcm = make_input(frames, args.seed)
    mix = pcm.to(torch.float32) / 32768.0
    mono = mix.mean(0)
    mean = float(mono.mean())
    std = float(mono.std())
    # what Java's SongStats(float mean, float std) will hold
    mean = float(torch.tensor(mean, dtype=torch.float32))
    std = float(torch.tensor(std, dtype=torch.float32))
    scale = std + 1e-8

    model = torch.jit.load(args.model, map_location="cpu")
    model.eval()
    with torch.no_grad():
        normalised = (mix - mean) / scale
        padded = torch.nn.functional.pad(normalised, (0, segment - frames))
        stems = model(padded[None])[0, :, :, :frames]
        stems = stems * scale + mean
    if stems.shape != (len(SOURCES), 2, frames):
        sys.exit("unexpected output shape %s" % (tuple(stems.shape),))

    input_file, output_file = "reference-input.s16", "reference-output.f32"
    with open(os.path.join(out_dir, input_file), "wb") as f:
        f.write(pcm.contiguous().numpy().astype("<i2").tobytes())
    with open(os.path.join(out_dir, output_file), "wb") as f:
        f.write(stems.contiguous().numpy().astype("<f4").tobytes())
    header = {
        "model": os.path.basename(args.model),
        "sampleRate": SAMPLE_RATE,
        "frames": frames,
        "segmentFrames": segment,
        "mean": mean,
        "std": std,
        "input": {"file": input_file, "dtype": "int16-le", "shape": [2, frames], "scale": 1.0 / 32768},
        "output": {"file": output_file, "dtype": "float32-le", "shape": [len(SOURCES), 2, frames],
                   "sources": SOURCES},
        "maxAbsOutput": float(stems.abs().max()),
        "torch": torch.__version__,
        "command": "/usr/bin/python3 scripts/make_demucs_reference.py --model "
                   + os.path.relpath(args.model, os.getcwd()),
    }
    with open(os.path.join(out_dir, "reference.json"), "w") as f:
        json.dump(header, f, indent=2)
        f.write("\n")
    print("wrote %s: %d frames, segment %d, mean %.6g std %.6g, max|stems| %.4g"
          % (out_dir, frames, segment, mean, std, header["maxAbsOutput"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
