package dev.flowmeter.agent.config;

/**
 * Every configuration key the agent accepts. The README's argument table is checked against this
 * enum by a test, so the two cannot drift.
 */
public enum Setting {
    PORT("port", "9464", false, "port of the metrics server; 0 picks a free one; `off` serves none (for `textfile` or `pushgateway` alone)"),
    HOST("host", "0.0.0.0", false, "address the metrics server binds to; 127.0.0.1 keeps it local"),
    TIMERS("timers", "histogram", false,
            "`histogram`: histograms in seconds, with buckets as `histograms` says; `summary`: quantiles 0.5, 0.75, 0.9, 0.95, 0.99"
                    + " over a sliding window of the last 1000 observations, as the Conductor SDKs' reference says"),
    DISABLE("disable", "", true, "instrumentations to switch off, comma-separated"),
    JVM("jvm", "false", false, "`true` adds client_java's JVM metrics (memory, GC, threads, classes, ...)"),
    TEXTFILE("textfile", "", false,
            "path of a file to write the metrics to, atomically, for node_exporter's textfile collector"),
    TEXTFILE_INTERVAL("textfile_interval", "10s", false, "how often `textfile` is written; once more when the JVM exits"),
    PUSHGATEWAY("pushgateway", "", false, "URL of a Pushgateway, such as http://pushgateway:9091, to push the metrics to"),
    JOB("job", "flowmeter", false, "the job name the metrics are pushed under; the instance is the host name"),
    PUSHGATEWAY_INTERVAL("pushgateway_interval", "10s", false, "how often the metrics are pushed; once more when the JVM exits"),
    CONFIG("config", "", false, "path of a YAML file with settings and rules; the settings above win over it"),
    MAX_SERIES("max_series", "2000", false,
            "label sets per metric family, every label and `_other_` counted; further ones are recorded under `_other_` and counted"),
    MAX_PENDING_WORKFLOWS("max_pending_workflows", "10000", false,
            "started workflows remembered to pair with their end; the oldest beyond are dropped and counted"),
    MAX_WORKFLOW_AGE("max_workflow_age", "24h", false,
            "how long a started workflow is remembered (s, m, h or d); older ones are dropped and counted"),
    NAMING("naming", "prometheus", false,
            "label names of the built-in metrics: `prometheus` (snake case, `task_type`) or `conductor` (the Conductor"
                    + " SDKs' metric reference: `taskType`, `workflowType`, `payloadType`)"),
    SCRAPE_CACHE("scrape_cache", "off", false,
            "how long one computed exposition answers every scrape (such as 15s), for JVMs whose gauges walk many"
                    + " live objects; `off` computes each scrape"),
    WEAVE_CACHE("weave_cache", "on", false,
            "where woven classes are kept from one start to the next, so that a restart weaves none and never loads ByteBuddy:"
                    + " `on` is the directory `flowmeter-cache-USER` in the JVM's temporary directory, `off` keeps none,"
                    + " or the path of a directory of your own (writable by you alone)"),
    EXTENSIONS("extensions", "", true, "jars of client_java collectors to serve beside the agent's metrics, comma-separated"),
    AUTH_USER("auth_user", "", false, "user name that scrapes must give (HTTP basic authentication); needs one password source below"),
    AUTH_PASSWORD_HASH("auth_password_hash", "", false,
            "the password's hash: `pbkdf2:ITERATIONS:SALT:HEX` or `sha256:SALT:HEX` (`java -jar flowmeter-agent.jar hash-password` makes one)"),
    AUTH_PASSWORD_ENV("auth_password_env", "", false, "name of an environment variable holding the password"),
    AUTH_PASSWORD_FILE("auth_password_file", "", false, "path of a file holding the password"),
    AUTH_PASSWORD("auth_password", "", false, "the password itself; as an argument `ps` shows it, so the agent warns"),
    TLS_KEYSTORE("tls_keystore", "", false, "path of a PKCS12 key store: serve HTTPS with its key and certificate"),
    TLS_KEYSTORE_PASSWORD_ENV("tls_keystore_password_env", "", false,
            "name of an environment variable holding the key store's password"),
    TLS_KEYSTORE_PASSWORD_FILE("tls_keystore_password_file", "", false, "path of a file holding the key store's password"),
    HISTOGRAMS("histograms", "classic", false,
            "how histograms (`timers=histogram` and histogram rules) keep their buckets: `classic` (the bucket bounds"
                    + " of `buckets` and `buckets_per_metric`), `native` (Prometheus' native histograms, served in protobuf"
                    + " to a Prometheus with native histograms enabled), or `both` (native in protobuf, classic in every format)"),
    RELOAD("reload", "false", false,
            "`true` watches the `config` file and applies its rules when it changes, without a restart (see Live operations)"),
    RELOAD_INTERVAL("reload_interval", "5s", false, "how often `reload` looks at the `config` file");

    private final String key;
    private final String defaultValue;
    private final boolean list;
    private final String description;

    Setting(String key, String defaultValue, boolean list, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.list = list;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** A list takes commas: a token without '=' continues the previous key's list. */
    public boolean isList() {
        return list;
    }

    public String description() {
        return description;
    }

    /** The environment variable that sets this key, {@code FLOWMETER_PORT} for {@code port}. */
    public String environmentVariable() {
        return "FLOWMETER_" + key.toUpperCase(java.util.Locale.ROOT);
    }

    static Setting byKey(String key) {
        for (Setting setting : values()) {
            if (setting.key.equals(key)) {
                return setting;
            }
        }
        return null;
    }

    static String keys() {
        StringBuilder keys = new StringBuilder();
        for (Setting setting : values()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(setting.key);
        }
        return keys.toString();
    }
}
