package dme.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class UploadNamesTest {
    @Test
    void theClientsNameWinsThenTheTagThenTheFileName() {
        assertEquals("Night Drive", UploadNames.songName("Night Drive", "Tag Title", "x.wav"));
        assertEquals("Tag Title", UploadNames.songName(" \u202E ", "Tag Title", "x.wav"));
        assertEquals("Second Song", UploadNames.songName(null, null, "C:\\music\\Second Song.wav"));
        assertEquals(".hidden", UploadNames.songName(null, "", "/tmp/.hidden"));
        assertEquals("Unknown", UploadNames.songName(null, null, null));
        assertEquals("Artist", UploadNames.band(null, "Artist"));
        assertEquals("Unknown", UploadNames.band("\u200B", null));
    }

    @Test
    void invisibleAndControlCharactersGoJoinersStay() {
        assertEquals("Old3pm.exe", UploadNames.firstText("Old\u202E3pm.exe"));
        assertEquals("a b c", UploadNames.firstText("a\tb\n\u2028 c\u0000"));
        assertEquals("\uD83D\uDC69\u200D\uD83D\uDCBB", UploadNames.firstText("\uFEFF\uD83D\uDC69\u200D\uD83D\uDCBB"));
        assertNull(UploadNames.firstText(null, "  ", "\u200E"));
        String emoji = "\uD83C\uDFB8".repeat(250);
        assertEquals(200, UploadNames.firstText(emoji).codePointCount(0, 400));
        assertEquals(400, UploadNames.firstText(emoji).length(), "cut at 200 code points, never inside a pair");
    }

    @Test
    void displayNamesDropFoldersAndFallBack() {
        assertEquals("song.mp3", UploadNames.displayName("a/b\\song.mp3"));
        assertEquals("the upload", UploadNames.displayName(null));
        assertEquals("the upload", UploadNames.displayName("dir/\u202E"));
    }

    @Test
    void extensionsComeFromPlainNamesAndStoredOnesFromTheContainer() {
        assertEquals("mp3", UploadNames.extensionOf("Song.MP3"));
        assertEquals("bin", UploadNames.extensionOf("song.mp3;rm -rf"));
        assertEquals("bin", UploadNames.extensionOf("noext"));
        assertEquals("bin", UploadNames.extensionOf(null));
        assertEquals("m4a", UploadNames.containerExtension("mov,mp4,m4a,3gp,3g2,mj2"));
        assertEquals("mka", UploadNames.containerExtension("matroska,webm"));
        assertEquals("flac", UploadNames.containerExtension("FLAC"));
        assertEquals("xyz", UploadNames.containerExtension("xyz"));
        assertEquals("audio", UploadNames.containerExtension("../etc"));
        assertEquals("audio", UploadNames.containerExtension(null));
    }
}
