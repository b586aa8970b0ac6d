package dev.flowmeter.agent.probe;

/**
 * Turns a request URI into a bounded label: the query string and fragment are dropped, and path
 * segments that are identifiers (numbers, UUIDs, long hex strings) become {@code {id}}. A path that
 * is already a template, or has no identifiers, is returned as it is, without allocating.
 */
public final class UriTemplate {

    public static final String ID = "{id}";
    private static final int LONG_HEX = 16;

    private UriTemplate() {}

    /** A source yielding the templated value of {@code uri}. */
    static LabelSource of(LabelSource uri) {
        return new LabelSource() {
            @Override
            public String value(Object self, Object argument, Object returned, Throwable thrown) {
                return template(uri.value(self, argument, returned, thrown));
            }

            @Override
            public int argumentIndex() {
                return uri.argumentIndex();
            }
        };
    }

    public static String template(String uri) {
        int end = uri.length();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int pathStart = pathStart(uri, end);
        if (end == uri.length() && pathStart == 0 && !hasIdentifier(uri, end)) {
            return uri;
        }
        StringBuilder templated = new StringBuilder(end - pathStart);
        int segment = pathStart;
        while (segment < end) {
            int next = uri.indexOf('/', segment + 1);
            if (next < 0 || next > end) {
                next = end;
            }
            int from = uri.charAt(segment) == '/' ? segment + 1 : segment;
            templated.append(uri, segment, from);
            templated.append(isIdentifier(uri, from, next) ? ID : uri.substring(from, next));
            segment = next;
        }
        return templated.length() == 0 ? "/" : templated.toString();
    }

    /** Where the path begins: after {@code scheme://host[:port]} for an absolute URI. */
    private static int pathStart(String uri, int end) {
        int scheme = uri.indexOf("://");
        if (scheme < 0 || scheme > end) {
            return 0;
        }
        int path = uri.indexOf('/', scheme + 3);
        return path < 0 || path > end ? end : path;
    }

    private static boolean hasIdentifier(String uri, int end) {
        int from = 0;
        while (from < end) {
            int next = uri.indexOf('/', from);
            if (next < 0 || next > end) {
                next = end;
            }
            if (isIdentifier(uri, from, next)) {
                return true;
            }
            from = next + 1;
        }
        return false;
    }

    private static boolean isIdentifier(String uri, int from, int to) {
        int length = to - from;
        if (length == 0) {
            return false;
        }
        boolean digits = true;
        boolean hex = true;
        int dashes = 0;
        for (int i = from; i < to; i++) {
            char c = uri.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            digits &= digit;
            if (c == '-') {
                dashes++;
            } else {
                hex &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            }
        }
        boolean uuid = length == 36 && dashes == 4 && hex;
        return digits || uuid || (hex && dashes == 0 && length >= LONG_HEX);
    }
}
