package dev.flowmeter.agent.config;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** A configuration the agent cannot run with; the message is the one line the user reads. */
public final class ConfigException extends Exception {

    /** The longest message: past it, the line is cut. */
    static final int MAX_MESSAGE = 1000;
    /** The most of one value a message shows: a label names a problem, it does not repeat the input. */
    static final int MAX_SHOWN = 100;

    public ConfigException(String message) {
        super(oneLine(message), null, false, false);
    }

    /**
     * {@code text} as one line: line breaks and other control characters written as escapes, and cut
     * at {@link #MAX_MESSAGE} characters, so that no input can spread the agent's report over lines.
     */
    public static String oneLine(String text) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (line.length() >= MAX_MESSAGE) {
                return line.append("...").toString();
            }
            char c = text.charAt(i);
            if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else if (c == '\t') {
                line.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || lone(text, i)) {
                line.append(String.format("\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
        return line.toString();
    }

    /** A surrogate that is not half of a pair, which no terminal can show. */
    private static boolean lone(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    /**
     * A value from the user's input as a message shows it: at most {@link #MAX_SHOWN} characters. A
     * list or map is walked only as far as that, so that one that expands to millions of values
     * through aliases, or contains itself, costs no more than a short one.
     */
    public static String shown(Object value) {
        StringBuilder shown = new StringBuilder();
        append(shown, value, 0);
        return shown.length() > MAX_SHOWN ? shown.substring(0, MAX_SHOWN) + "..." : shown.toString();
    }

    private static void append(StringBuilder shown, Object value, int depth) {
        if (shown.length() > MAX_SHOWN) {
            return;
        }
        if (value instanceof Collection || value instanceof Map) {
            if (depth > 10) {
                shown.append("...");
                return;
            }
            boolean map = value instanceof Map;
            Iterator<?> items = map ? ((Map<?, ?>) value).entrySet().iterator() : ((Collection<?>) value).iterator();
            shown.append(map ? '{' : '[');
            for (int i = 0; items.hasNext() && shown.length() <= MAX_SHOWN; i++) {
                Object item = items.next();
                shown.append(i == 0 ? "" : ", ");
                if (map) {
                    append(shown, ((Map.Entry<?, ?>) item).getKey(), depth + 1);
                    shown.append('=');
                    append(shown, ((Map.Entry<?, ?>) item).getValue(), depth + 1);
                } else {
                    append(shown, item, depth + 1);
                }
            }
            shown.append(map ? '}' : ']');
            return;
        }
        String text = value instanceof byte[] ? "(binary)" : String.valueOf(value);
        shown.append(text, 0, Math.min(text.length(), MAX_SHOWN + 1));
    }
}
