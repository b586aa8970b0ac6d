package dev.flowmeter.agent.probe;

/**
 * Turns a request URI into a bounded label: the query string and fragment are dropped, and path
 * segments that are identifiers (numbers, UUIDs, long hex strings) become {@code {id}}. A path that
 * is already a template, or has no identifiers, is returned as it is, without allocating. A template
 * made before is found again without allocating either: {@link #known} holds up to
 * {@link #MAX_KNOWN} of them, looked up by the hash of the template that the URI would make,
 * computed from the URI itself, and compared with it piece by piece, so that {@code /orders/42}
 * and {@code /orders/43} both find the one {@code /orders/{id}} string.
 */
public final class UriTemplate {

    public static final String ID = "{id}";
    private static final int LONG_HEX = 16;
    private static final String ROOT = "/";
    /** Templates remembered; past that many, a new one is made on every call, as before the first. */
    static final int MAX_KNOWN = 1024;

    /**
     * The templates made so far, by hash, in open addressing with linear probing, at most half
     * full. Copied on write, which happens once per distinct template: readers take no lock.
     */
    private static volatile String[] known = new String[64];
    private static int knownCount;

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
        int hash = templateHash(uri, pathStart, end);
        String[] table = known;
        int mask = table.length - 1;
        for (int slot = hash & mask; table[slot] != null; slot = (slot + 1) & mask) {
            String candidate = table[slot];
            if (candidate.hashCode() == hash && isTemplateOf(candidate, uri, pathStart, end)) {
                return candidate;
            }
        }
        return remember(build(uri, pathStart, end));
    }

    private static String build(String uri, int pathStart, int end) {
        if (pathStart >= end) {
            return ROOT;
        }
        StringBuilder templated = new StringBuilder(end - pathStart);
        for (int segment = pathStart; segment < end; ) {
            int next = segmentEnd(uri, segment, end);
            int from = uri.charAt(segment) == '/' ? segment + 1 : segment;
            templated.append(uri, segment, from);
            if (isIdentifier(uri, from, next)) {
                templated.append(ID);
            } else {
                templated.append(uri, from, next);
            }
            segment = next;
        }
        return templated.toString();
    }

    /** {@code build(uri, pathStart, end).hashCode()}, without building it. */
    private static int templateHash(String uri, int pathStart, int end) {
        if (pathStart >= end) {
            return ROOT.hashCode();
        }
        int hash = 0;
        for (int segment = pathStart; segment < end; ) {
            int next = segmentEnd(uri, segment, end);
            int from = uri.charAt(segment) == '/' ? segment + 1 : segment;
            boolean identifier = isIdentifier(uri, from, next);
            for (int i = segment; i < (identifier ? from : next); i++) {
                hash = 31 * hash + uri.charAt(i);
            }
            if (identifier) {
                for (int i = 0; i < ID.length(); i++) {
                    hash = 31 * hash + ID.charAt(i);
                }
            }
            segment = next;
        }
        return hash;
    }

    /** Whether {@code template} equals {@code build(uri, pathStart, end)}, without building it. */
    private static boolean isTemplateOf(String template, String uri, int pathStart, int end) {
        if (pathStart >= end) {
            return template.equals(ROOT);
        }
        int at = 0;
        for (int segment = pathStart; segment < end; ) {
            int next = segmentEnd(uri, segment, end);
            int from = uri.charAt(segment) == '/' ? segment + 1 : segment;
            if (!template.regionMatches(at, uri, segment, from - segment)) {
                return false;
            }
            at += from - segment;
            if (isIdentifier(uri, from, next)) {
                if (!template.startsWith(ID, at)) {
                    return false;
                }
                at += ID.length();
            } else {
                if (!template.regionMatches(at, uri, from, next - from)) {
                    return false;
                }
                at += next - from;
            }
            segment = next;
        }
        return at == template.length();
    }

    /** Where the path segment that starts at {@code segment} (at its slash, if it has one) ends. */
    private static int segmentEnd(String uri, int segment, int end) {
        int next = uri.indexOf('/', segment + 1);
        return next < 0 || next > end ? end : next;
    }

    private static synchronized String remember(String template) {
        String[] table = known;
        int mask = table.length - 1;
        int slot = template.hashCode() & mask;
        for (; table[slot] != null; slot = (slot + 1) & mask) {
            if (table[slot].equals(template)) {
                return table[slot];
            }
        }
        if (knownCount >= MAX_KNOWN) {
            return template;
        }
        String[] grown = (knownCount + 1) * 2 > table.length ? new String[table.length * 2] : table.clone();
        int grownMask = grown.length - 1;
        if (grown.length != table.length) {
            for (String entry : table) {
                if (entry != null) {
                    int to = entry.hashCode() & grownMask;
                    while (grown[to] != null) {
                        to = (to + 1) & grownMask;
                    }
                    grown[to] = entry;
                }
            }
        }
        int to = template.hashCode() & grownMask;
        while (grown[to] != null) {
            to = (to + 1) & grownMask;
        }
        grown[to] = template;
        knownCount++;
        known = grown;
        return template;
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
