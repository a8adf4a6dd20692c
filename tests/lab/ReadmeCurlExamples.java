package lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The curl examples of README.md as requests, so that tests can check them and send them to a running
 * {@code Maintain.java serve}: {@code ReadmeCurlExamples.all()}, then per request {@code uri(service.url())} or
 * {@code toHttpRequest(service.url(), token)}.
 *
 * <p>It reads every line starting with {@code curl} in a {@code ```bash} block (a trailing backslash continues a
 * line; {@code # comments} are dropped) and splits it as a POSIX shell would, without expanding anything:
 * {@code "Bearer $TOKEN"} stays {@code Bearer $TOKEN}. Only {@code -X METHOD}, {@code -H 'Name: value'},
 * {@code -d BODY}, the flags {@code -f}, {@code -s}, {@code -S} (alone or together, {@code -fsS}) and one URL are
 * understood; anything else (another option, a pipe, a second command) is refused with the README line, so that
 * an example cannot do more than what is checked. The method is {@code -X}'s, else POST with {@code -d}, else GET.
 */
final class ReadmeCurlExamples {
    /** How the examples name the token; {@link Request#toHttpRequest} puts the real one in its place. */
    static final String TOKEN_VARIABLE = "$TOKEN";

    private ReadmeCurlExamples() {}

    /**
     * One curl command of the README.
     *
     * @param line         the README line it starts on (1-based)
     * @param command      the command as written (continuation lines joined)
     * @param method       GET, POST, ... (upper case)
     * @param url          the URL as written
     * @param pathAndQuery the URL's raw path and, if any, {@code ?query}
     * @param headers      the {@code -H} headers in order, names as written, values with {@code $TOKEN} unexpanded
     * @param body         the {@code -d} body, or null
     */
    record Request(int line, String command, String method, URI url, String pathAndQuery, Map<String, String> headers,
                   String body) {
        Request {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** This request's path and query on another server, e.g. a test's service on a free port. */
        URI uri(URI base) {
            return URI.create(base.getScheme() + "://" + base.getRawAuthority() + pathAndQuery);
        }

        String path() {
            return url.getRawPath();
        }

        /** The raw query, or null. */
        String query() {
            return url.getRawQuery();
        }

        /** A header's value by its name, ignoring case, as written ({@code $TOKEN} unexpanded). */
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
        }

        /** The request for {@link java.net.http.HttpClient}: sent to {@code base}, {@code $TOKEN} replaced by {@code token}. */
        HttpRequest toHttpRequest(URI base, String token) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri(base)).method(method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            headers.forEach((name, value) -> builder.header(name, value.replace("${TOKEN}", token).replace(TOKEN_VARIABLE, token)));
            return builder.build();
        }

        /** "README.md:123 curl ..." for messages. */
        String where() {
            return "README.md:" + line + " " + command;
        }
    }

    /** The examples of the project's README.md ({@code lab.project}, else the working directory). */
    static List<Request> all() {
        return of(Path.of(System.getProperty("lab.project", ".")).toAbsolutePath().normalize().resolve("README.md"));
    }

    static List<Request> of(Path markdownFile) {
        try {
            return parse(Files.readString(markdownFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdownFile, e);
        }
    }

    /** Every curl command in the {@code ```bash} blocks of a Markdown text, in order. */
    static List<Request> parse(String markdown) {
        List<Request> requests = new ArrayList<>();
        String[] lines = markdown.split("\r?\n", -1);
        boolean inBash = false;
        boolean inOtherFence = false;
        for (int i = 0; i < lines.length; i++) {
            String trimmed = lines[i].strip();
            if (trimmed.startsWith("```")) {
                if (inBash || inOtherFence) {
                    inBash = inOtherFence = false;
                } else if (trimmed.equals("```bash")) {
                    inBash = true;
                } else {
                    inOtherFence = true;
                }
                continue;
            }
            if (!inBash) continue;
            int first = i;
            StringBuilder command = new StringBuilder(trimmed);
            while (endsWithContinuation(command) && i + 1 < lines.length) {
                command.setLength(command.length() - 1);
                command.append(' ').append(lines[++i].strip());
            }
            String text = command.toString().replaceAll("\\s+", " ").strip();
            if (text.equals("curl") || text.startsWith("curl ")) requests.add(request(first + 1, text));
        }
        return List.copyOf(requests);
    }

    private static boolean endsWithContinuation(CharSequence line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) backslashes++;
        return backslashes % 2 == 1;
    }

    private static Request request(int line, String command) {
        List<String> words = words(line, command);
        String method = null;
        String url = null;
        String body = null;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "-X", "-H", "-d" -> {
                    if (i + 1 >= words.size()) throw refused(line, word + " needs a value");
                    String value = words.get(++i);
                    if (word.equals("-X")) {
                        method = value.toUpperCase(Locale.ROOT);
                    } else if (word.equals("-d")) {
                        if (body != null) throw refused(line, "more than one -d (curl would join them with &)");
                        body = value;
                    } else {
                        int colon = value.indexOf(':');
                        if (colon <= 0) throw refused(line, "-H needs 'Name: value', not '" + value + "'");
                        headers.put(value.substring(0, colon).strip(), value.substring(colon + 1).strip());
                    }
                }
                default -> {
                    if (word.matches("-[fsS]+")) continue; // fail on HTTP errors, silent, show errors: no effect on the request
                    if (word.startsWith("-")) throw refused(line, "option " + word + " (only -X, -H, -d and -fsS are allowed)");
                    if (url != null) throw refused(line, "a second URL " + word);
                    url = word;
                }
            }
        }
        if (url == null) throw refused(line, "no URL");
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw refused(line, "not a URL: " + url);
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null) throw refused(line, "not an absolute URL: " + url);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        if (method == null) method = body == null ? "GET" : "POST";
        return new Request(line, command, method, uri, pathAndQuery, headers, body);
    }

    /**
     * Splits a command line into words as a POSIX shell does: blanks separate, '...' is literal, "..." keeps
     * {@code $} as written (only {@code \" \\ \$ \`} escape), a backslash outside quotes escapes the next character,
     * an unquoted {@code #} at a word's start begins a comment. Unquoted {@code | ; & < > ( ) `} and {@code $(} are
     * refused: one plain curl command a line.
     */
    static List<String> words(int line, String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == ' ' || c == '\t') {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) throw refused(line, "an unclosed '");
                word.append(command, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < command.length() && command.charAt(j) != '"'; j++) {
                    char d = command.charAt(j);
                    if (d == '\\' && j + 1 < command.length() && "\"\\$`".indexOf(command.charAt(j + 1)) >= 0) {
                        word.append(command.charAt(++j));
                    } else if (d == '`' || (d == '$' && j + 1 < command.length() && command.charAt(j + 1) == '(')) {
                        throw refused(line, "a command substitution");
                    } else {
                        word.append(d);
                    }
                }
                if (j >= command.length()) throw refused(line, "an unclosed \"");
                i = j;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < command.length()) word.append(command.charAt(++i));
                inWord = true;
            } else if ("|;&<>()`".indexOf(c) >= 0 || (c == '$' && i + 1 < command.length() && command.charAt(i + 1) == '(')) {
                throw refused(line, "'" + c + "' outside quotes (one plain curl command a line)");
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(word.toString());
        return words;
    }

    private static IllegalArgumentException refused(int line, String why) {
        return new IllegalArgumentException("README.md:" + line + ": curl example not understood: " + why);
    }
}
