package dme.core.audio;

import java.util.Locale;

/** Formats dme writes stems and mixes in. */
public enum OutputFormat {
    WAV16("wav", "audio/wav"),
    WAV24("wav", "audio/wav"),
    WAV_FLOAT("wav", "audio/wav"),
    FLAC("flac", "audio/flac"),
    MP3("mp3", "audio/mpeg");

    private final String extension;
    private final String mimeType;

    OutputFormat(String extension, String mimeType) {
        this.extension = extension;
        this.mimeType = mimeType;
    }

    public String extension() {
        return extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /** {@code wav}/{@code wav16}, {@code wav24}/{@code int24}, {@code wav-float}/{@code wav32}, {@code flac} or {@code mp3}. */
    public static OutputFormat parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "wav", "wav16" -> WAV16;
            case "wav24", "int24" -> WAV24;
            case "wav-float", "wav32", "wav_float" -> WAV_FLOAT;
            case "flac" -> FLAC;
            case "mp3" -> MP3;
            default -> throw new IllegalArgumentException(
                    "unknown output format '" + name + "': use wav, wav24, wav-float, flac or mp3");
        };
    }

    /** Mime type for a stored file's extension (originals may be any audio format). */
    public static String mimeTypeOf(String extension) {
        return switch (extension.toLowerCase(Locale.ROOT)) {
            case "wav" -> "audio/wav";
            case "flac" -> "audio/flac";
            case "mp3" -> "audio/mpeg";
            case "ogg", "oga" -> "audio/ogg";
            case "opus" -> "audio/opus";
            case "m4a", "aac", "mp4" -> "audio/mp4";
            case "png" -> "image/png";
            default -> "application/octet-stream";
        };
    }
}
