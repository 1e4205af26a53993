package dme.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RenderOptionsTest {
    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void readsTheObjectFormsRenderFields() throws Exception {
        RenderOptions o = RenderOptions.fromJson(json("{\"tracks\":[2,3],\"tempo\":0.8,\"transpose\":-2,\"click\":true,\"loudness_lufs\":-14}"));
        assertEquals(new RenderOptions(0.8, -2, true, -14.0), o);
        assertEquals("tempo80_transpose-2_click_lufs-14.0", o.fileTag());
        assertFalse(o.isPlain());
        assertEquals(RenderOptions.PLAIN, RenderOptions.fromJson(json("{\"tracks\":[1]}")));
        assertEquals(RenderOptions.PLAIN, RenderOptions.fromJson(json("[1,2]")));
        assertTrue(RenderOptions.PLAIN.isPlain());
        assertEquals("", RenderOptions.PLAIN.fileTag());
        assertEquals(new RenderOptions(1.0, 3, false, null), RenderOptions.fromJson(json("{\"transpose\":3.0,\"tempo\":null}")));
    }

    @Test
    void equalRenderingsShareAFileName() {
        assertEquals(new RenderOptions(0.8, 0, false, null).fileTag(), new RenderOptions(0.8000001, 0, false, null).fileTag());
        assertEquals(new RenderOptions(0.8, 0, false, null), new RenderOptions(0.8000001, 0, false, null));
    }

    @Test
    void rejectsBadValuesWithAClearMessage() throws Exception {
        for (String bad : new String[] {"{\"tempo\":0.4}", "{\"tempo\":1.6}", "{\"tempo\":\"fast\"}", "{\"tempo\":1e400}",
                "{\"transpose\":13}", "{\"transpose\":1.5}", "{\"transpose\":-1e12}", "{\"click\":\"yes\"}",
                "{\"loudness_lufs\":0}", "{\"loudness_lufs\":-80}", "{\"loudness_lufs\":\"-14\"}"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RenderOptions.fromJson(json(bad)), bad);
            assertTrue(e.getMessage().matches(".*(tempo|transpose|click|loudness_lufs).*"), e.getMessage());
        }
    }
}
