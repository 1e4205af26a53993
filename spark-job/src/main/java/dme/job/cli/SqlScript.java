package dme.job.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a .sql file into statements, each with the comment written just above it, which becomes
 * its heading when printed. Statements end with a semicolon at the end of a line.
 */
public record SqlScript(List<Statement> statements) {

    public record Statement(String title, String sql) {}

    public static SqlScript parse(String text) {
        List<Statement> out = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        String title = null;
        String lastComment = null;
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--")) {
                if (sql.length() == 0) {
                    lastComment = t.substring(2).strip();
                }
                continue;
            }
            if (t.isEmpty() && sql.length() == 0) {
                continue;
            }
            if (sql.length() == 0) {
                title = lastComment;
            }
            sql.append(line).append('\n');
            if (t.endsWith(";")) {
                String s = sql.toString().strip();
                out.add(new Statement(title, s.substring(0, s.length() - 1)));
                sql.setLength(0);
                lastComment = null;
            }
        }
        if (!sql.toString().isBlank()) {
            out.add(new Statement(title, sql.toString().strip()));
        }
        return new SqlScript(List.copyOf(out));
    }
}
