package dev.flowmeter.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Who may scrape and over what: basic authentication with a password kept as a hash, and TLS from
 * a PKCS12 key store. Passwords come from a hash, an environment variable or a file, so that no
 * secret need appear on a command line, where {@code ps} shows it.
 */
public final class ServerSecurity {

    /** A password file is a line; anything larger is the wrong file. */
    static final int MAX_SECRET_BYTES = 64 * 1024;

    private final String user;
    private final String passwordHash;
    private final String keyStore;
    private final char[] keyStorePassword;
    /** A digest of the password last accepted: a slow PBKDF2 hash is checked once, not at every scrape. */
    private volatile byte[] accepted;

    private ServerSecurity(String user, String passwordHash, String keyStore, char[] keyStorePassword) {
        this.user = user;
        this.passwordHash = passwordHash;
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
    }

    static ServerSecurity of(Map<Setting, String> values, Map<String, String> environment) throws ConfigException {
        String user = values.get(Setting.AUTH_USER);
        String hash = null;
        int sources = 0;
        for (Setting source : new Setting[] {Setting.AUTH_PASSWORD_HASH, Setting.AUTH_PASSWORD_ENV,
                Setting.AUTH_PASSWORD_FILE, Setting.AUTH_PASSWORD}) {
            if (!values.get(source).isEmpty()) {
                sources++;
            }
        }
        if (user.isEmpty() != (sources == 0) || sources > 1) {
            throw new ConfigException("basic authentication needs auth_user and exactly one of auth_password_hash,"
                    + " auth_password_env, auth_password_file and auth_password; " + (user.isEmpty() ? "auth_user is missing"
                    : sources == 0 ? "no password source is given" : sources + " password sources are given"));
        }
        if (!user.isEmpty()) {
            hash = values.get(Setting.AUTH_PASSWORD_HASH);
            if (hash.isEmpty()) {
                hash = hash(secret(Setting.AUTH_PASSWORD_ENV, Setting.AUTH_PASSWORD_FILE, Setting.AUTH_PASSWORD,
                        values, environment));
            } else if (!PasswordHash.isValid(hash)) {
                throw new ConfigException("invalid value for 'auth_password_hash'; accepted: pbkdf2:ITERATIONS:SALT:HEX"
                        + " or sha256:SALT:HEX, as `java -jar flowmeter-agent.jar hash-password` prints");
            }
        }
        String keyStore = values.get(Setting.TLS_KEYSTORE);
        boolean keyStorePassword = !values.get(Setting.TLS_KEYSTORE_PASSWORD_ENV).isEmpty()
                || !values.get(Setting.TLS_KEYSTORE_PASSWORD_FILE).isEmpty();
        if (keyStore.isEmpty() == keyStorePassword) {
            throw new ConfigException(keyStore.isEmpty()
                    ? "a key store password is given without tls_keystore"
                    : "tls_keystore needs its password from tls_keystore_password_env or tls_keystore_password_file");
        }
        char[] password = keyStore.isEmpty() ? null : secret(Setting.TLS_KEYSTORE_PASSWORD_ENV,
                Setting.TLS_KEYSTORE_PASSWORD_FILE, null, values, environment).toCharArray();
        return new ServerSecurity(user.isEmpty() ? null : user, hash, keyStore.isEmpty() ? null : keyStore, password);
    }

    private static String secret(Setting env, Setting file, Setting plain, Map<Setting, String> values,
            Map<String, String> environment) throws ConfigException {
        if (!values.get(env).isEmpty()) {
            String secret = environment.get(values.get(env));
            if (secret == null || secret.isEmpty()) {
                throw new ConfigException("the environment variable '" + ConfigException.shown(values.get(env)) + "' named by '" + env.key()
                        + "' is not set");
            }
            return secret;
        }
        if (!values.get(file).isEmpty()) {
            try {
                Path path = ConfigFile.regularFile(values.get(file));
                if (Files.size(path) > MAX_SECRET_BYTES) {
                    throw new IOException("larger than " + MAX_SECRET_BYTES + " bytes");
                }
                return Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException unreadable) {
                throw new ConfigException("the file '" + ConfigException.shown(values.get(file)) + "' named by '" + file.key()
                        + "' cannot be read: " + unreadable);
            }
        }
        return values.get(plain);
    }

    private static String hash(String password) throws ConfigException {
        try {
            return PasswordHash.create(password);
        } catch (GeneralSecurityException unavailable) {
            throw new ConfigException("cannot hash the password: " + unavailable);
        }
    }

    /** The user name scrapes must give, or null when none is required. */
    public String user() {
        return user;
    }

    /** Whether {@code password} is the one whose hash is configured. */
    public boolean accepts(String password) {
        byte[] digest = PasswordHash.digest(password);
        byte[] known = accepted;
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true;
        }
        boolean matches = PasswordHash.matches(passwordHash, password);
        if (matches) {
            accepted = digest;
        }
        return matches;
    }

    /** The PKCS12 key store to serve HTTPS with, or null for plain HTTP. */
    public String keyStore() {
        return keyStore;
    }

    public char[] keyStorePassword() {
        return keyStorePassword.clone();
    }

    /** Password hashes: {@code pbkdf2:ITERATIONS:SALT:HEX} (PBKDF2 with HMAC-SHA256) or {@code sha256:SALT:HEX}. */
    public static final class PasswordHash {
        private static final int ITERATIONS = 100_000;

        private PasswordHash() {}

        public static String create(String password) throws GeneralSecurityException {
            byte[] salt = new byte[16];
            new java.security.SecureRandom().nextBytes(salt);
            String saltText = hex(salt);
            return "pbkdf2:" + ITERATIONS + ":" + saltText + ":" + hex(pbkdf2(password, saltText, ITERATIONS, 256));
        }

        static boolean isValid(String hash) {
            String[] parts = hash.split(":", -1);
            return (parts.length == 4 && parts[0].equals("pbkdf2") && parts[1].matches("[1-9][0-9]{0,8}")
                    && isHex(parts[3]))
                    || (parts.length == 3 && parts[0].equals("sha256") && parts[2].matches("[0-9a-f]{64}"));
        }

        /** Pairs of hex digits; checked without a repeated regex group, which recurses once per pair. */
        private static boolean isHex(String text) {
            return !text.isEmpty() && text.length() % 2 == 0 && text.chars().allMatch(c -> (c >= '0' && c <= '9')
                    || (c >= 'a' && c <= 'f'));
        }

        static boolean matches(String hash, String password) {
            String[] parts = hash.split(":", -1);
            try {
                byte[] expected;
                byte[] given;
                if (parts[0].equals("pbkdf2")) {
                    expected = unhex(parts[3]);
                    given = pbkdf2(password, parts[2], Integer.parseInt(parts[1]), expected.length * 8);
                } else {
                    expected = unhex(parts[2]);
                    given = MessageDigest.getInstance("SHA-256").digest((parts[1] + password).getBytes(StandardCharsets.UTF_8));
                }
                return MessageDigest.isEqual(expected, given);
            } catch (GeneralSecurityException | RuntimeException unusable) {
                return false;
            }
        }

        static byte[] digest(String password) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException required) {
                throw new IllegalStateException(required);
            }
        }

        private static byte[] pbkdf2(String password, String salt, int iterations, int bits)
                throws NoSuchAlgorithmException, java.security.spec.InvalidKeySpecException {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), iterations, bits);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        }

        private static String hex(byte[] bytes) {
            StringBuilder hex = new StringBuilder();
            for (byte b : bytes) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        }

        private static byte[] unhex(String hex) {
            byte[] bytes = new byte[hex.length() / 2];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            return bytes;
        }
    }
}
