package lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a psql script into statements at top-level semicolons, leaving semicolons inside quotes, quoted
 * identifiers, comments and dollar-quoted bodies ({@code $$ ... $$}, {@code $fn$ ... $fn$}) alone.
 * psql meta-commands are refused: files in sql/ are plain SQL so that Java and psql run the same text.
 */
public final class SqlSplitter {
    private SqlSplitter() {}

    public static List<String> split(String script, String source) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean meaningful = false; // the current statement has more than comments and blanks
        int i = 0;
        int n = script.length();
        boolean atLineStart = true;
        while (i < n) {
            char ch = script.charAt(i);
            if (atLineStart && ch == '\\') {
                int end = script.indexOf('\n', i);
                String line = script.substring(i, end < 0 ? n : end);
                throw new IllegalArgumentException(source + ": psql meta-command '" + line.strip()
                        + "' is not allowed in sql/ files; pass parameters as custom settings instead");
            }
            if (ch == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                end = end < 0 ? n : end;
                current.append(script, i, end);
                i = end;
                continue;
            }
            if (ch == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = blockCommentEnd(script, i, source);
                current.append(script, i, end);
                i = end;
                continue;
            }
            atLineStart = ch == '\n' || (atLineStart && Character.isWhitespace(ch));
            if (ch == '\'') {
                boolean escapes = i > 0 && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(script.charAt(i - 2)));
                int end = quotedEnd(script, i, '\'', escapes, source);
                current.append(script, i, end);
                i = end;
                meaningful = true;
                continue;
            }
            if (ch == '"') {
                int end = quotedEnd(script, i, '"', false, source);
                current.append(script, i, end);
                i = end;
                meaningful = true;
                continue;
            }
            if (ch == '$') {
                String tag = dollarTag(script, i);
                if (tag != null) {
                    int close = script.indexOf(tag, i + tag.length());
                    if (close < 0) throw new IllegalArgumentException(source + ": unterminated dollar quote " + tag);
                    int end = close + tag.length();
                    current.append(script, i, end);
                    i = end;
                    meaningful = true;
                    continue;
                }
            }
            if (ch == ';') {
                if (meaningful) statements.add(current.toString().strip());
                current.setLength(0);
                meaningful = false;
                i++;
                continue;
            }
            if (!Character.isWhitespace(ch)) meaningful = true;
            current.append(ch);
            i++;
        }
        if (meaningful) statements.add(current.toString().strip());
        return statements;
    }

    private static int blockCommentEnd(String s, int start, String source) {
        int depth = 0;
        int i = start;
        while (i < s.length() - 1) {
            if (s.charAt(i) == '/' && s.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (s.charAt(i) == '*' && s.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) return i;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException(source + ": unterminated /* comment");
    }

    private static int quotedEnd(String s, int start, char quote, boolean backslashEscapes, String source) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException(source + ": unterminated " + quote + " quote");
    }

    /** The opening tag ($$ or $name$) at i, or null where the $ is a positional parameter or part of a name. */
    private static String dollarTag(String s, int i) {
        if (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) return null;
        int j = i + 1;
        if (j < s.length() && Character.isDigit(s.charAt(j))) return null;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
        if (j < s.length() && s.charAt(j) == '$') return s.substring(i, j + 1);
        return null;
    }
}
