package dme.core.audio;

/**
 * What a source file holds, as its container reports it (not the decoded 44.1 kHz stereo).
 *
 * @param container FFmpeg's demuxer name, e.g. "mp3", "wav", "flac", "ogg", "mov,mp4,m4a,3gp,3g2,mj2"
 * @param codec FFmpeg's decoder name, e.g. "mp3float", "pcm_s16le", "flac", "vorbis", "opus", "aac"
 * @param sampleRate the source's own rate in Hz
 * @param channels the source's own channel count
 * @param durationSeconds from {@link AudioProbe#probe}: measured from the audio packets; from
 *     {@link AudioReader#info()}: what the stream or container claims (a truncated or headerless file
 *     may claim more or less than it holds), 0 when unknown
 * @param title tag value, or null when absent
 * @param artist tag value (artist, else album_artist, performer or author), or null when absent
 */
public record AudioInfo(String container, String codec, int sampleRate, int channels, double durationSeconds,
        String title, String artist) {}
