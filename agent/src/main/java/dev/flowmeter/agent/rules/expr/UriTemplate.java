package dev.flowmeter.agent.rules.expr;

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
    /** 31 to the power of {@code ID.length()}: what a string hash is multiplied by when {@code ID} is appended. */
    private static final int ID_POWER = 31 * 31 * 31 * 31;
    private static final long IDENTIFIER = 1L << 32;
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
    public static LabelSource of(LabelSource uri) {
        return new LabelSource.Derived(uri) {
            @Override
            public String value(Object self, Object argument, Object returned, Throwable thrown) {
                return template(source.value(self, argument, returned, thrown));
            }
        };
    }

    public static String template(String uri) {
        int end = pathEnd(uri);
        int pathStart = pathStart(uri, end);
        // One pass over the segments finds whether any is an identifier and the hash of the template
        // they make, which is the hash of the URI itself when none is.
        int hash = pathStart >= end ? ROOT.hashCode() : 0;
        boolean identifiers = false;
        long identifierSegments = 0;
        for (int segment = pathStart, index = 0; segment < end; index++) {
            int next = segmentEnd(uri, segment, end);
            int from = uri.charAt(segment) == '/' ? segment + 1 : segment;
            if (from > segment) {
                hash = 31 * hash + '/';
            }
            long scanned = scan(uri, from, next, hash);
            boolean identifier = (scanned & IDENTIFIER) != 0;
            identifiers |= identifier;
            if (identifier && index < Long.SIZE) {
                identifierSegments |= 1L << index;
            }
            hash = identifier ? hash * ID_POWER + ID.hashCode() : (int) scanned;
            segment = next;
        }
        if (!identifiers && pathStart == 0 && end == uri.length()) {
            return uri;
        }
        String[] table = known;
        int mask = table.length - 1;
        for (int slot = hash & mask; table[slot] != null; slot = (slot + 1) & mask) {
            String candidate = table[slot];
            if (candidate.hashCode() == hash && isTemplateOf(candidate, uri, pathStart, end, identifierSegments)) {
                return candidate;
            }
        }
        return remember(build(uri, pathStart, end));
    }

    /** Where the path ends: at the query or the fragment, if there is one. */
    private static int pathEnd(String uri) {
        int query = uri.indexOf('?');
        int fragment = uri.indexOf('#');
        int end = uri.length();
        if (query >= 0) {
            end = query;
        }
        return fragment >= 0 && fragment < end ? fragment : end;
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

    /**
     * Whether {@code template} equals {@code build(uri, pathStart, end)}, without building it;
     * {@code identifierSegments} has bit i set when segment i is an identifier, as far as 64 segments.
     */
    private static boolean isTemplateOf(String template, String uri, int pathStart, int end, long identifierSegments) {
        if (pathStart >= end) {
            return template.equals(ROOT);
        }
        int at = 0;
        for (int segment = pathStart, index = 0; segment < end; index++) {
            int next = segmentEnd(uri, segment, end);
            int from = uri.charAt(segment) == '/' ? segment + 1 : segment;
            if (!template.regionMatches(at, uri, segment, from - segment)) {
                return false;
            }
            at += from - segment;
            if (index < Long.SIZE ? (identifierSegments >>> index & 1) != 0 : isIdentifier(uri, from, next)) {
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

    private static boolean isIdentifier(String uri, int from, int to) {
        return (scan(uri, from, to, 0) & IDENTIFIER) != 0;
    }

    /**
     * Whether {@code uri[from, to)} is an identifier (the {@link #IDENTIFIER} bit), and in the low
     * 32 bits the string hash of {@code uri[0, to)} given {@code hash}, that of {@code uri[0, from)}:
     * the segment's characters are read once for both.
     */
    private static long scan(String uri, int from, int to, int hash) {
        boolean digits = true;
        boolean hex = true;
        int dashes = 0;
        for (int i = from; i < to; i++) {
            char c = uri.charAt(i);
            hash = 31 * hash + c;
            boolean digit = c >= '0' && c <= '9';
            digits &= digit;
            if (c == '-') {
                dashes++;
            } else {
                hex &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            }
        }
        int length = to - from;
        boolean uuid = length == 36 && dashes == 4 && hex;
        boolean identifier = length > 0 && (digits || uuid || (hex && dashes == 0 && length >= LONG_HEX));
        return (identifier ? IDENTIFIER : 0) | (hash & 0xffffffffL);
    }
}
