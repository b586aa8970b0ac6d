package dev.flowmeter.bench;

/**
 * Finds where each request's header ends (an empty line: {@code \r\n\r\n}) in the bytes a client
 * sends, one byte at a time; the benchmark's clients send GETs without a body.
 */
final class RequestEnd {

    private int matched;

    /** Whether {@code next} ends a request's header. */
    boolean ends(byte next) {
        matched = next == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (next == '\r' ? 1 : 0);
        if (matched == 4) {
            matched = 0;
            return true;
        }
        return false;
    }
}
