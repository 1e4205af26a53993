package dme.core.audio;

import java.io.IOException;

/** The input is not decodable audio: not a media file, no audio stream, or corrupt/truncated data. */
public class AudioDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    public AudioDecodeException(String message) {
        super(message);
    }

    public AudioDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
