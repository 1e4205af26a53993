#!/usr/bin/env python3
"""Writes a short synthetic stereo song (kick, bass, a vibrato voice, a wide pad) as 16-bit WAV.
Standard library only, for smoke checks on machines without audio tools:
    python3 scripts/make-test-song.py OUT.wav [SECONDS]"""
import math, random, struct, sys, wave

if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
    sys.exit(__doc__)
out = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 12.0
rate = 44100
rnd = random.Random(1)
frames = bytearray()
for i in range(int(seconds * rate)):
    t = i / rate
    beat = t % 0.5
    kick = math.exp(-beat * 30) * math.sin(2 * math.pi * 60 * beat) * 0.3 + math.exp(-beat * 80) * rnd.gauss(0, 0.05)
    bass = 0.15 * math.sin(2 * math.pi * (55 + 27.5 * (int(t * 2) % 2)) * t)
    f0 = 220 * (1 + 0.01 * math.sin(2 * math.pi * 5.5 * t))
    voice = 0.08 * (math.sin(2 * math.pi * f0 * t) + 0.5 * math.sin(4 * math.pi * f0 * t))
    pad = 0.05 * math.sin(2 * math.pi * 330 * t + 0.3)
    for v in (kick + bass + voice + pad, kick + bass + voice - pad):
        frames += struct.pack('<h', max(-32767, min(32767, int(v * 32767))))
with wave.open(out, 'wb') as w:
    w.setnchannels(2)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(bytes(frames))
