package dme.job.separate.demucs;

/**
 * A Demucs model file that cannot be used: missing, unreadable, not TorchScript, or not a model that
 * maps a stereo mixture to four stereo stems. Thrown at load time, so that a job fails once at
 * start-up with the reason rather than on every chunk.
 */
public class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
