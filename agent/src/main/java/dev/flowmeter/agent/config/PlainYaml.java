package dev.flowmeter.agent.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the plain YAML that configuration and rules files are written in, to the same maps, lists and
 * scalars as SnakeYAML's safe constructor, and declines everything else, which SnakeYAML then reads.
 *
 * <p>Why: SnakeYAML takes 50 to 70 ms of a cold JVM to read its first document (its classes
 * load and run interpreted), and the agent reads a dozen documents while the application waits to
 * start. This reader takes a few ms. It accepts block mappings and sequences indented with spaces,
 * one-line flow mappings and sequences, quoted strings without escapes, comments, and plain scalars
 * that are words, decimal integers, booleans or null; it declines anchors, tags, block scalars,
 * multi-line scalars and flows, and any scalar SnakeYAML might read as a float, a timestamp or a
 * number in another notation. {@code PlainYamlTest} checks both readers agree on every YAML file
 * of the project and on a list of edge cases.
 */
final class PlainYaml {

    /** What {@link #read} returns for a text it leaves to SnakeYAML. */
    static final Object DECLINED = new Object();

    private static final Set<String> NULLS = Set.of("~", "null", "Null", "NULL");
    private static final Set<String> TRUES = Set.of("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
    private static final Set<String> FALSES = Set.of("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
    /** Deeper documents go to SnakeYAML, which enforces the configured nesting limit. */
    private static final int MAX_DEPTH = 10;

    private final List<Line> lines = new ArrayList<>();
    private int next;

    /** One line with content: its indentation, and its text without the indentation and any comment. */
    private static final class Line {
        final int indent;
        final String text;

        Line(int indent, String text) {
            this.indent = indent;
            this.text = text;
        }
    }

    /** Signals a construct this reader leaves to SnakeYAML; thrown only inside this class. */
    private static final class Declined extends Exception {
        Declined() {
            super(null, null, false, false);
        }
    }

    private PlainYaml() {}

    /** The document: a map, a list, a scalar or null; or {@link #DECLINED}. */
    static Object read(String text) {
        try {
            PlainYaml reader = new PlainYaml();
            reader.split(text);
            if (reader.lines.isEmpty()) {
                return null;
            }
            Object document = reader.block(reader.lines.get(0).indent, 0);
            if (reader.next != reader.lines.size()) {
                throw new Declined(); // a line indented less than the document's first, or otherwise stray
            }
            return document;
        } catch (Declined declined) {
            return DECLINED;
        }
    }

    private void split(String text) throws Declined {
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end);
            start = end + 1;
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            String content = withoutComment(line.substring(indent));
            if (content.isEmpty()) {
                continue;
            }
            if (content.startsWith("---") || content.startsWith("...") || content.startsWith("%")) {
                throw new Declined(); // documents and directives
            }
            lines.add(new Line(indent, content));
        }
    }

    /**
     * The line without a comment and trailing spaces. Declines characters that YAML treats as line
     * breaks or refuses (tabs, carriage returns, control characters, byte order marks), which the
     * files this reader is for do not hold.
     */
    private static String withoutComment(String line) throws Declined {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < ' ' || (c >= 0x7f && c <= 0x9f) || c == '\uFEFF' || c == '\u2028' || c == '\u2029') {
                throw new Declined();
            }
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i).stripTrailing();
            } else if ((c == '\'' || c == '"') && opensScalar(line, i)) {
                quote = c;
            }
        }
        return line.stripTrailing();
    }

    /** Whether a scalar starts at {@code at}: first on the line, or after an indicator that opens a value. */
    private static boolean opensScalar(String line, int at) {
        int before = at - 1;
        while (before >= 0 && line.charAt(before) == ' ') {
            before--;
        }
        if (before < 0) {
            return true;
        }
        char indicator = line.charAt(before);
        boolean spaced = before < at - 1;
        return "[{,".indexOf(indicator) >= 0 || (spaced && (indicator == ':' || indicator == '-'));
    }

    /** The block node whose first line is the next one, at {@code indent}. */
    private Object block(int indent, int depth) throws Declined {
        if (depth > MAX_DEPTH) {
            throw new Declined();
        }
        Line first = lines.get(next);
        if (first.indent != indent) {
            throw new Declined();
        }
        if (isSequenceEntry(first.text)) {
            return sequence(indent, depth);
        }
        if (keyEnd(first.text) >= 0) {
            return mapping(indent, depth);
        }
        next++;
        Object scalar = inline(first.text, depth);
        if (next < lines.size() && lines.get(next).indent > indent) {
            throw new Declined(); // a multi-line scalar or flow
        }
        return scalar;
    }

    private List<Object> sequence(int indent, int depth) throws Declined {
        List<Object> items = new ArrayList<>();
        while (next < lines.size() && lines.get(next).indent == indent && isSequenceEntry(lines.get(next).text)) {
            Line line = lines.get(next);
            int offset = 1;
            while (offset < line.text.length() && line.text.charAt(offset) == ' ') {
                offset++;
            }
            if (offset == line.text.length()) {
                next++;
                items.add(nested(indent, depth));
            } else {
                // "- key: value" opens a mapping whose keys line up with "key": the entry is read as
                // if the dash were a space.
                lines.set(next, new Line(indent + offset, line.text.substring(offset)));
                items.add(block(indent + offset, depth + 1));
            }
        }
        return items;
    }

    private Map<String, Object> mapping(int indent, int depth) throws Declined {
        Map<String, Object> entries = new LinkedHashMap<>();
        while (next < lines.size() && lines.get(next).indent == indent && !isSequenceEntry(lines.get(next).text)) {
            Line line = lines.get(next);
            int colon = keyEnd(line.text);
            if (colon < 0) {
                throw new Declined();
            }
            Object key = plain(line.text.substring(0, colon).strip());
            if (!(key instanceof String) || entries.containsKey(key)) {
                throw new Declined(); // SnakeYAML reports duplicates; other keys are the caller's to refuse
            }
            String value = line.text.substring(colon + 1).strip();
            next++;
            if (!value.isEmpty()) {
                entries.put((String) key, inline(value, depth));
                if (next < lines.size() && lines.get(next).indent > indent) {
                    throw new Declined();
                }
            } else if (next < lines.size() && lines.get(next).indent == indent && isSequenceEntry(lines.get(next).text)) {
                entries.put((String) key, sequence(indent, depth + 1)); // a sequence may line up with its key
            } else {
                entries.put((String) key, nested(indent, depth));
            }
        }
        return entries;
    }

    /** The node on the lines indented deeper than {@code indent}, or null when there are none. */
    private Object nested(int indent, int depth) throws Declined {
        if (next < lines.size() && lines.get(next).indent > indent) {
            return block(lines.get(next).indent, depth + 1);
        }
        return null;
    }

    private static boolean isSequenceEntry(String text) {
        return text.equals("-") || text.startsWith("- ");
    }

    /** Where a block mapping's key ends (its colon), or -1 when the line holds no key. */
    private static int keyEnd(String text) {
        char first = text.charAt(0);
        if (first == '{' || first == '[' || first == '\'' || first == '"') {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    /** A scalar or one-line flow collection that makes up the whole of {@code text}. */
    private static Object inline(String text, int depth) throws Declined {
        Flow flow = new Flow(text);
        Object value = flow.node(depth, false);
        if (flow.position != text.length()) {
            throw new Declined();
        }
        return value;
    }

    /** Reads flow nodes from one line. */
    private static final class Flow {
        private final String text;
        private int position;

        Flow(String text) {
            this.text = text;
        }

        Object node(int depth, boolean inFlow) throws Declined {
            if (depth > MAX_DEPTH || position >= text.length()) {
                throw new Declined();
            }
            char c = text.charAt(position);
            Object node;
            if (c == '{') {
                node = map(depth);
            } else if (c == '[') {
                node = list(depth);
            } else if (c == '\'' || c == '"') {
                node = quoted(c);
            } else {
                int end = position;
                while (end < text.length() && !endsPlain(end, inFlow)) {
                    if (inFlow && "[{?".indexOf(text.charAt(end)) >= 0) {
                        throw new Declined();
                    }
                    end++;
                }
                node = plain(text.substring(position, end).strip());
                position = end;
            }
            skipSpaces();
            return node;
        }

        /** Whether a plain scalar ends at {@code at}: at ": ", and inside a flow also at ",", "]", "}" and a final ":". */
        private boolean endsPlain(int at, boolean inFlow) {
            char c = text.charAt(at);
            boolean colonEnds = c == ':' && (at + 1 == text.length() || text.charAt(at + 1) == ' '
                    || (inFlow && ",]}".indexOf(text.charAt(at + 1)) >= 0));
            return colonEnds || (inFlow && (c == ',' || c == ']' || c == '}'));
        }

        private Map<String, Object> map(int depth) throws Declined {
            Map<String, Object> entries = new LinkedHashMap<>();
            position++;
            skipSpaces();
            while (!accept('}')) {
                Object key = node(depth + 1, true);
                if (!(key instanceof String) || entries.containsKey(key) || !accept(':')) {
                    throw new Declined();
                }
                skipSpaces();
                Object value = peek() == ',' || peek() == '}' ? null : node(depth + 1, true);
                entries.put((String) key, value);
                afterEntry('}');
            }
            return entries;
        }

        private List<Object> list(int depth) throws Declined {
            List<Object> items = new ArrayList<>();
            position++;
            skipSpaces();
            while (!accept(']')) {
                items.add(node(depth + 1, true));
                afterEntry(']');
            }
            return items;
        }

        /** After a flow entry: a comma and another entry, or the closing bracket; declines a trailing comma. */
        private void afterEntry(char close) throws Declined {
            boolean comma = accept(',');
            skipSpaces();
            if (comma ? peek() == close : peek() != close) {
                throw new Declined();
            }
        }

        /** A quoted string: single-quoted with '' for a quote, or double-quoted without escapes. */
        private String quoted(char quote) throws Declined {
            StringBuilder value = new StringBuilder();
            int at = position + 1;
            while (true) {
                int end = text.indexOf(quote, at);
                if (end < 0) {
                    throw new Declined(); // continues on the next line
                }
                value.append(text, at, end);
                if (quote == '\'' && end + 1 < text.length() && text.charAt(end + 1) == '\'') {
                    value.append('\'');
                    at = end + 2;
                } else {
                    position = end + 1;
                    break;
                }
            }
            if (quote == '"' && value.indexOf("\\") >= 0) {
                throw new Declined();
            }
            return value.toString();
        }

        private boolean accept(char c) {
            if (position < text.length() && text.charAt(position) == c) {
                position++;
                return true;
            }
            return false;
        }

        private char peek() throws Declined {
            if (position >= text.length()) {
                throw new Declined(); // a flow that goes on to the next line
            }
            return text.charAt(position);
        }

        private void skipSpaces() {
            while (position < text.length() && text.charAt(position) == ' ') {
                position++;
            }
        }
    }

    /**
     * A plain scalar as SnakeYAML's YAML 1.1 resolver and safe constructor read it: null, a boolean,
     * a decimal integer (an Integer, a Long or a BigInteger, the smallest that holds it) or a string;
     * declined when it could be anything else.
     */
    private static Object plain(String value) throws Declined {
        if (value.isEmpty()) {
            throw new Declined();
        }
        if (NULLS.contains(value)) {
            return null;
        }
        if (TRUES.contains(value)) {
            return Boolean.TRUE;
        }
        if (FALSES.contains(value)) {
            return Boolean.FALSE;
        }
        char first = value.charAt(0);
        if (first == '-' || (first >= '0' && first <= '9')) {
            return integer(value);
        }
        // Indicators that start anchors, aliases, tags, block scalars, directives and reserved
        // forms; and "." for .inf and .nan.
        if ("&*!|>%@`?.<=+:,[]{}#'\"".indexOf(first) >= 0) {
            throw new Declined();
        }
        return value;
    }

    private static Object integer(String value) throws Declined {
        int digits = value.charAt(0) == '-' ? 1 : 0;
        if (digits == value.length() || (value.charAt(digits) == '0' && value.length() > digits + 1)) {
            throw new Declined(); // "-" alone, or octal
        }
        for (int i = digits; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new Declined(); // floats, timestamps, underscores, sexagesimal and other notations
            }
        }
        BigInteger number = new BigInteger(value);
        if (number.bitLength() < Integer.SIZE) {
            return number.intValue();
        }
        return number.bitLength() < Long.SIZE ? (Object) number.longValue() : number;
    }
}
