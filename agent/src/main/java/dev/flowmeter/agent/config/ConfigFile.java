package dev.flowmeter.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the YAML configuration file: plain maps, lists and scalars only (no Java types), with
 * bounds on size, nesting and aliases, so that no file can make the agent hang or run out of memory.
 */
public final class ConfigFile {

    static final int MAX_BYTES = 1 << 20;

    private ConfigFile() {}

    static Map<String, Object> load(String path) throws ConfigException {
        try (Reader in = Files.newBufferedReader(regularFile(path), StandardCharsets.UTF_8)) {
            return read(in, path);
        } catch (IOException | RuntimeException unreadable) {
            throw new ConfigException("config file '" + ConfigException.shown(path) + "' cannot be read: " + firstLine(unreadable));
        }
    }

    /**
     * The path of a file the agent reads at start, which must be a regular file: opening a named pipe
     * would wait for a writer, and a device such as /dev/zero never ends. A missing file is left for
     * opening it to report.
     */
    static Path regularFile(String name) throws IOException {
        Path path = Path.of(name);
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new IOException("not a regular file");
        }
        return path;
    }

    /** Reads a YAML document that must be a map with string keys; {@code path} names it in messages. */
    public static Map<String, Object> read(Reader in, String path) throws ConfigException {
        String text;
        try {
            text = upTo(in, MAX_BYTES);
        } catch (IOException unreadable) {
            throw new ConfigException("config file '" + ConfigException.shown(path) + "' cannot be read: " + firstLine(unreadable));
        }
        Object document = text.length() <= MAX_BYTES ? PlainYaml.read(text) : PlainYaml.DECLINED;
        if (document == PlainYaml.DECLINED) {
            document = snakeYaml(text, path);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map)) {
            throw new ConfigException("config file '" + ConfigException.shown(path) + "' must be a map of keys such as port and rules");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) document;
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new ConfigException("config file '" + ConfigException.shown(path) + "' has a key that is not a name: '"
                        + ConfigException.shown(key) + "'");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> named = (Map<String, Object>) (Map<?, ?>) map;
        return named;
    }

    /** The whole of a document the size limit allows, and one character more, for SnakeYAML to refuse. */
    private static String upTo(Reader in, int limit) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        int read;
        while (text.length() <= limit && (read = in.read(buffer)) >= 0) {
            text.append(buffer, 0, read);
        }
        return text.toString();
    }

    /** Every YAML document {@link PlainYaml} declines, with bounds on size, nesting and aliases. */
    static Object snakeYaml(String text, String path) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_BYTES);
        try {
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (RuntimeException unreadable) {
            throw new ConfigException("config file '" + ConfigException.shown(path) + "' cannot be read: " + firstLine(unreadable));
        }
    }

    /** Exceptions from the YAML parser span lines; the agent reports one. */
    static String firstLine(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        String line = message.replaceAll("\\s+", " ").trim();
        return error.getClass().getSimpleName() + ": " + (line.length() > 300 ? line.substring(0, 300) + "..." : line);
    }
}
