package dev.flowmeter.agent.config;

import dev.flowmeter.agent.metrics.Catalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {

    private final ConfigParser parser = new ConfigParser(Set.of("conductor", "okhttp"), Catalog.HISTOGRAMS);

    private AgentConfig parse(String arguments) throws ConfigException {
        return parser.parse(arguments, Map.of(), Map.of());
    }

    private String error(String arguments, Map<String, String> properties, Map<String, String> environment) {
        return assertThrows(ConfigException.class, () -> parser.parse(arguments, properties, environment)).getMessage();
    }

    private String error(String arguments) {
        return error(arguments, Map.of(), Map.of());
    }

    @Test
    void defaults() throws ConfigException {
        AgentConfig config = parse(null);
        assertEquals(9464, config.port());
        assertEquals("0.0.0.0", config.host());
        assertEquals(TimerKind.HISTOGRAM, config.timers());
        assertTrue(config.disabled().isEmpty());
        assertEquals(9464, parse("").port());
    }

    @Test
    void argumentsOfEveryKey() throws ConfigException {
        AgentConfig config = parse("port=0,host=127.0.0.1,timers=summary,disable=okhttp");
        assertEquals(0, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals(TimerKind.SUMMARY, config.timers());
        assertEquals(Set.of("okhttp"), config.disabled());
    }

    @Test
    void theScrapeCacheIsOffOrAPositiveDuration() throws ConfigException {
        assertEquals(null, parse("").scrapeCache());
        assertEquals(java.time.Duration.ofSeconds(15), parse("scrape_cache=15s").scrapeCache());
        assertEquals("invalid value '0s' for 'scrape_cache'; accepted: off, or a positive duration such as 15s or 1m",
                error("scrape_cache=0s"));
    }

    @Test
    void theConfigFileIsWatchedOnlyWithReloadTrue() throws ConfigException {
        assertEquals(null, parse("reload_interval=1s").reloadInterval());
        assertEquals(java.time.Duration.ofSeconds(5), parse("reload=true").reloadInterval());
        assertEquals(java.time.Duration.ofMinutes(1), parse("reload=true,reload_interval=1m").reloadInterval());
        assertEquals("invalid value 'yes' for 'reload'; accepted: true or false", error("reload=yes"));
        assertTrue(error("reload=true,reload_interval=0s").contains("'reload_interval'"));
    }

    @Test
    void aTokenWithoutEqualsContinuesTheListOfThePreviousKey() throws ConfigException {
        AgentConfig config = parse("disable=conductor,okhttp,port=9465");
        assertEquals(Set.of("conductor", "okhttp"), config.disabled());
        assertTrue(config.isDisabled("conductor"));
        assertFalse(config.isDisabled("quartz"));
        assertEquals(9465, config.port());
    }

    @Test
    void argumentsWinOverSystemPropertiesWhichWinOverEnvironment() throws ConfigException {
        Map<String, String> properties = Map.of("flowmeter.port", "2000", "flowmeter.host", "127.0.0.2", "user.home", "/x");
        Map<String, String> environment = Map.of("FLOWMETER_PORT", "3000", "FLOWMETER_HOST", "127.0.0.3",
                "FLOWMETER_TIMERS", "summary", "FLOWMETER_UNRELATED", "ignored");
        AgentConfig config = parser.parse("port=1000", properties, environment);
        assertEquals(1000, config.port());
        assertEquals("127.0.0.2", config.host());
        assertEquals(TimerKind.SUMMARY, config.timers());
    }

    @Test
    void anUnknownArgumentNamesTheKeyAndTheAcceptedOnes() {
        String message = error("prot=9464");
        assertTrue(message.contains("'prot'"), message);
        assertTrue(message.contains("port, host, timers, disable"), message);
    }

    @Test
    void anUnknownSystemPropertyIsAnError() {
        String message = error(null, Map.of("flowmeter.prot", "1"), Map.of());
        assertTrue(message.contains("'prot'") && message.contains("flowmeter.prot=1"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "99999", "abc", "", " ", "1.5", "0x10", "9464 9465"})
    void badPortsNameTheValueAndTheRange(String port) {
        String message = error("port=" + port);
        assertTrue(message.contains("'port'") && message.contains("0 to 65535"), message);
    }

    @Test
    void aBadPortFromTheEnvironmentIsAnErrorToo() {
        String message = error(null, Map.of(), Map.of("FLOWMETER_PORT", "http"));
        assertTrue(message.contains("'http'") && message.contains("'port'"), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "timers=quantiles|'timers'|histogram or summary",
        "timers=|'timers'|histogram or summary",
        "disable=conductor,quartz|'disable'|conductor",
        "host=|'host'|host name or IP address",
        "port=9464,9465|'9465'|takes a single value",
        "port=1,port=2|given twice|once",
        "9464|'9464'|key=value",
        "=9464|unknown key ''|accepted keys"})
    void badArgumentsSayWhatIsAccepted(String arguments, String named, String accepted) {
        String message = error(arguments);
        assertTrue(message.contains(named), message);
        assertTrue(message.contains(accepted), message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }
}
