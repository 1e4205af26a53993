package dme.job.cli;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one rule for where the CLI puts a song's files: {@code OUT/<name>/}, the file name without its
 * extension; when several songs of one run share a name, the second gets {@code <name>-2}, the third
 * {@code <name>-3}, in the order they were given (names compared ignoring case, as some file systems do).
 */
final class OutputFolders {
    private OutputFolders() {}

    static Map<Path, Path> assign(Path out, Collection<Path> songs) {
        Map<Path, Path> folders = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Path song : songs) {
            String base = song.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            if (base.isEmpty() || base.startsWith(".")) {
                base = "song" + base;
            }
            String name = base;
            for (int n = 2; !used.add(name.toLowerCase(Locale.ROOT)); n++) {
                name = base + "-" + n;
            }
            folders.put(song, out.resolve(name));
        }
        return folders;
    }
}
