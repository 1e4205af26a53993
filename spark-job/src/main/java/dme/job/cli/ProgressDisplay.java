package dme.job.cli;

import dme.core.Storage;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One progress line per song while the job runs: percent, chunks, elapsed time and ETA. On a terminal
 * the lines are rewritten in place; otherwise (a log file, a pipe) a song's line is printed only when
 * its state or its tenth of the work changes, and once at the end.
 */
final class ProgressDisplay {
    private static final long TICK_MS = 500;

    private final Storage storage;
    private final Map<Long, Path> songs;
    private final PrintStream out;
    private final boolean inPlace;
    private final long started = System.nanoTime();
    private final Thread thread;
    private final List<String> shown = new ArrayList<>();
    private volatile boolean running = true;
    private boolean drawn;

    ProgressDisplay(Storage storage, Map<Long, Path> songs, PrintStream out, boolean inPlace) {
        this.storage = storage;
        this.songs = songs;
        this.out = out;
        this.inPlace = inPlace;
        this.thread = new Thread(this::loop, "dme-progress");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2000);
        draw(true);
    }

    private void loop() {
        while (running) {
            draw(false);
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw(boolean last) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Long, Path> e : songs.entrySet()) {
            rows.add(row(e.getKey(), e.getValue()));
        }
        if (inPlace) {
            StringBuilder b = new StringBuilder();
            if (drawn) {
                b.append("\033[").append(rows.size()).append('A'); // back to the first song's line
            }
            for (Row r : rows) {
                b.append("\r\033[2K").append(r.text()).append('\n');
            }
            out.print(b);
            out.flush();
            drawn = true;
            return;
        }
        for (int i = 0; i < rows.size(); i++) {
            String key = rows.get(i).key();
            if (shown.size() <= i) {
                shown.add(null);
            }
            if (last || !key.equals(shown.get(i))) {
                if (!(last && key.equals(shown.get(i)) && rows.get(i).finished())) {
                    out.println(rows.get(i).text());
                }
                shown.set(i, key);
            }
        }
        out.flush();
    }

    /** @param key what decides, off a terminal, that the line is worth printing again */
    private record Row(String text, String key, boolean finished) {}

    private Row row(long id, Path song) {
        int done = 0;
        int total = 0;
        String state = "queued";
        try {
            done = storage.list(storage.layout().chunksDir(id)).size();
            Optional<SongStatus> s = storage.readJson(storage.layout().songStatus(id), SongStatus.class);
            if (s.isPresent()) {
                total = s.get().totalChunks();
                state = s.get().state().name().toLowerCase(Locale.ROOT);
            }
        } catch (IOException e) {
            // not started yet, or a record being replaced: the next tick reads it
        }
        boolean finished = state.equals(SongState.DONE.name().toLowerCase(Locale.ROOT))
                || state.equals(SongState.FAILED.name().toLowerCase(Locale.ROOT));
        done = total > 0 ? Math.min(done, total) : done;
        int percent = state.equals("done") ? 100 : total > 0 ? Math.min(99, done * 100 / total) : 0;
        double elapsed = (System.nanoTime() - started) / 1e9;
        String eta = "";
        if (!finished && done > 0 && total > done) {
            eta = "  ETA " + clock(elapsed * (total - done) / done);
        }
        String text = String.format(Locale.ROOT, "%-28s %3d%%  %s chunks  %s%s  %s", clip(song.getFileName().toString()),
                percent, total > 0 ? done + "/" + total : done + "/?", clock(elapsed), eta, state);
        return new Row(text, state + "|" + percent / 10, finished);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String clip(String name) {
        return name.length() <= 28 ? name : name.substring(0, 27) + "…";
    }
}
