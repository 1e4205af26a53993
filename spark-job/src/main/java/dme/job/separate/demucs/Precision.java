package dme.job.separate.demucs;

import java.util.Locale;

/**
 * The number format a Demucs model runs in: which TorchScript method of the exported file is called.
 * {@code scripts/export_demucs.py} writes {@code forward} (fp32) and, unless told not to,
 * {@code forward_bf16}: a bf16 copy of the weights with the STFT, iSTFT, normalisation and local
 * attention kept in fp32 (by default; its {@code --bf16-fp32-layers} can keep group norm and the
 * BiLSTM in fp32 too), fp32 in and out.
 */
enum Precision {
    FP32("forward"),
    BF16("forward_bf16");

    private final String method;

    Precision(String method) {
        this.method = method;
    }

    /** The TorchScript method that runs the model in this precision. */
    String method() {
        return method;
    }

    /** {@code fp32} or {@code bf16}, as in {@code dme.djl.precision} and the separator's name. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
