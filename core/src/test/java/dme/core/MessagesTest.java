package dme.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void firstLineOfText() {
        assertEquals("Invalid data", Messages.firstLine("Invalid data \nat frame 3\n"));
        assertEquals("no detail", Messages.firstLine((String) null));
        assertEquals("no detail", Messages.firstLine("  "));
    }

    @Test
    void firstLineSkipsWordlessWrappers() {
        Exception e = new RuntimeException(new IOException("disk full\nstack"));
        // RuntimeException(cause) takes the cause's toString as its message: that is words of its own
        assertEquals("java.io.IOException: disk full", Messages.firstLine(e));
        Exception bare = new RuntimeException((String) null, new IOException("disk full"));
        assertEquals("disk full", Messages.firstLine(bare));
        assertEquals("IllegalStateException", Messages.firstLine(new IllegalStateException()));
    }

    @Test
    void rootCauseIsTheInnermostWords() {
        Exception e = new RuntimeException("Job aborted due to stage failure", new IOException("disk full\nstack"));
        assertEquals("disk full", Messages.rootCause(e));
        assertEquals("top", Messages.rootCause(new RuntimeException("top")));
    }
}
