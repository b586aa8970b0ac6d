package dev.flowmeter.agent.rules;

import dev.flowmeter.agent.config.ConfigException;
import dev.flowmeter.agent.config.ConfigFile;
import dev.flowmeter.agent.config.ConfigParser;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The built-in instrumentations: rules files bundled in the agent jar, in the same format as the
 * user's, at {@code dev/flowmeter/agent/instrumentation/NAME.yaml}. Adding a library is adding a file.
 */
public final class BuiltIn {

    private static final String FOLDER = "dev/flowmeter/agent/instrumentation/";
    private static final String SUFFIX = ".yaml";

    private BuiltIn() {}

    /** Every built-in instrumentation, by the name {@code disable} takes. */
    public static List<String> names() throws ConfigException {
        TreeSet<String> names = new TreeSet<>();
        try {
            File location = new File(BuiltIn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.isDirectory()) {
                String[] files = new File(location, FOLDER).list();
                for (String file : files == null ? new String[0] : files) {
                    add(file, names);
                }
            } else {
                try (JarFile jar = new JarFile(location)) {
                    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                        String entry = entries.nextElement().getName();
                        if (entry.startsWith(FOLDER) && entry.indexOf('/', FOLDER.length()) < 0) {
                            add(entry.substring(FOLDER.length()), names);
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException unreadable) {
            throw new ConfigException("the agent cannot list its bundled instrumentations: " + unreadable);
        }
        return new ArrayList<>(names);
    }

    private static void add(String file, TreeSet<String> names) {
        if (file.endsWith(SUFFIX)) {
            names.add(file.substring(0, file.length() - SUFFIX.length()));
        }
    }

    /** The named built-in instrumentations, in order. */
    public static List<RuleSet> load(List<String> names, RuleParser parser) throws ConfigException {
        List<RuleSet> loaded = new ArrayList<>();
        for (String name : names) {
            loaded.add(load(name, parser));
        }
        return loaded;
    }

    private static RuleSet load(String name, RuleParser parser) throws ConfigException {
        return read("/" + FOLDER + name + SUFFIX, name, true, parser);
    }

    /**
     * The rules file the agent jar holds at {@code resource} (an absolute path: the files stay where
     * they are, whatever package reads them), compiled as the rule set {@code name}, which applies
     * {@code whole} or rule by rule.
     */
    public static RuleSet read(String resource, String name, boolean whole, RuleParser parser) throws ConfigException {
        String file = resource.substring(resource.lastIndexOf('/') + 1);
        try (InputStream in = BuiltIn.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("the agent jar lacks " + file);
            }
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            Map<String, Object> yaml = ConfigFile.read(reader, file);
            Object testedWith = yaml.get(ConfigParser.TESTED_WITH);
            return parser.ruleSet(name, testedWith == null ? null : String.valueOf(testedWith), whole,
                    ConfigParser.rules(file, yaml.get(ConfigParser.RULES)));
        } catch (IOException unreadable) {
            throw new ConfigException("the agent jar's " + file + " cannot be read: " + unreadable);
        }
    }
}
