package lab;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/**
 * The curl command that sends the same request as a {@link HttpRequest}: what a lesson prints beside its Java call,
 * so that a reader can repeat it in a shell. The bearer token shows as {@code $TOKEN}, never as itself.
 */
public final class Curl {
    private Curl() {}

    /** A request without a body (GET). */
    public static String of(HttpRequest request) {
        return of(request, null);
    }

    /** A request with this JSON body (the body publisher of an HttpRequest cannot be read back). */
    public static String of(HttpRequest request, String body) {
        StringBuilder curl = new StringBuilder("curl -fsS");
        if (!request.method().equals(body == null ? "GET" : "POST")) curl.append(" -X ").append(request.method());
        for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
            for (String value : header.getValue()) {
                boolean bearer = header.getKey().equalsIgnoreCase("Authorization") && value.regionMatches(true, 0, "Bearer ", 0, 7);
                // double quotes where the shell must expand $TOKEN, single quotes elsewhere
                curl.append(bearer ? " -H \"Authorization: Bearer $TOKEN\"" : " -H " + quoted(header.getKey() + ": " + value));
            }
        }
        if (body != null) curl.append(" -d ").append(quoted(body));
        return curl.append(' ').append(request.uri()).toString();
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
