package dme.core.audio;

import java.io.IOException;

/**
 * The input is not decodable audio. The message starts with the file name and says which case it is:
 * missing or empty file, not a media format FFmpeg recognises, no audio stream, no decodable samples
 * (corrupt or truncated), or a decoding failure part-way.
 */
public class AudioDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    public AudioDecodeException(String message) {
        super(message);
    }

    public AudioDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
