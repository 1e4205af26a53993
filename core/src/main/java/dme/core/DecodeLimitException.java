package dme.core;

import java.io.IOException;

/**
 * A song decodes, but past one of the limits of {@link DecodeLimits}: too long, too large decoded, or
 * short of local scratch space. The message says which limit, its setting and where decoding stopped.
 */
public class DecodeLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    public DecodeLimitException(String message) {
        super(message);
    }
}
