package dev.flowmeter.agent;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.flowmeter.agent.config.ServerSecurity;
import java.io.BufferedReader;
import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * {@code java -jar flowmeter-agent.jar list|attach PID [key=value,...]|detach PID}: gives a JVM that
 * cannot be restarted its metrics by loading the agent into it while it runs, and takes it out again.
 */
public final class Cli {

    /** Set in a JVM where the agent runs, to where its metrics go: how a second attach knows it is there. */
    static final String URL_PROPERTY = "dev.flowmeter.agent.url";
    /** Set in a JVM where the agent was detached, to what that did. */
    static final String DETACHED_PROPERTY = "dev.flowmeter.agent.detached";
    /** The agent argument that detaches the agent running in the JVM instead of starting one. */
    static final String DETACH = "detach";
    /** Set in a JVM where the agent was loaded and is inactive, to the reason. */
    static final String INACTIVE_PROPERTY = "dev.flowmeter.agent.inactive";

    private static final String USAGE = "usage: java -jar flowmeter-agent.jar list\n"
            + "       java -jar flowmeter-agent.jar attach PID [key=value,...]   (the agent arguments, as after -javaagent:...=)\n"
            + "       java -jar flowmeter-agent.jar detach PID   (restores the classes the agent changed and stops it)\n"
            + "       java -jar flowmeter-agent.jar hash-password   (reads the password from standard input)";

    private Cli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("list")) {
            for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
                out.println(vm.id() + " " + vm.displayName());
            }
            return 0;
        }
        if (args.length == 1 && args[0].equals("hash-password")) {
            return hashPassword(out, err);
        }
        if ((args.length == 2 || args.length == 3) && args[0].equals("attach")) {
            return attach(args[1], args.length == 3 ? args[2] : "", out, err);
        }
        if (args.length == 2 && args[0].equals(DETACH)) {
            return detach(args[1], out, err);
        }
        err.println(USAGE);
        return 2;
    }

    private static int attach(String pid, String arguments, PrintStream out, PrintStream err) {
        VirtualMachine vm = connect(pid, err);
        if (vm == null) {
            return 1;
        }
        try {
            String url = vm.getSystemProperties().getProperty(URL_PROPERTY);
            if (url != null) {
                out.println("flowmeter is already attached to " + pid + ", " + url + "; nothing changed");
                return 0;
            }
            vm.loadAgent(agentJar(), arguments);
            url = vm.getSystemProperties().getProperty(URL_PROPERTY);
            if (url == null) {
                err.println("flowmeter: loaded into " + pid + " but inactive: "
                        + vm.getSystemProperties().getProperty(INACTIVE_PROPERTY, "see that JVM's standard error"));
                return 1;
            }
            out.println("flowmeter attached to " + pid + ": " + url);
            return 0;
        } catch (Exception failed) {
            err.println("flowmeter: attaching to " + pid + " failed: " + failed);
            return 1;
        } finally {
            disconnect(vm);
        }
    }

    /** Takes the agent out of a JVM: its classes restored, its server and outputs stopped. */
    private static int detach(String pid, PrintStream out, PrintStream err) {
        VirtualMachine vm = connect(pid, err);
        if (vm == null) {
            return 1;
        }
        try {
            if (vm.getSystemProperties().getProperty(URL_PROPERTY) == null
                    && vm.getSystemProperties().getProperty(INACTIVE_PROPERTY) == null) {
                out.println("flowmeter is not attached to " + pid + "; nothing changed");
                return 0;
            }
            vm.loadAgent(agentJar(), DETACH);
            String done = vm.getSystemProperties().getProperty(DETACHED_PROPERTY, "see that JVM's standard error");
            if (vm.getSystemProperties().getProperty(URL_PROPERTY) != null) {
                err.println("flowmeter: detaching from " + pid + " failed: " + done);
                return 1;
            }
            out.println("flowmeter " + done + " in " + pid);
            return 0;
        } catch (Exception failed) {
            err.println("flowmeter: detaching from " + pid + " failed: " + failed);
            return 1;
        } finally {
            disconnect(vm);
        }
    }

    /** The JVM of a PID through the Attach API, or null, said on {@code err}, where it cannot be reached. */
    private static VirtualMachine connect(String pid, PrintStream err) {
        try {
            return VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException unreachable) {
            err.println("flowmeter: cannot attach to " + pid + " (" + unreachable.getMessage()
                    + "); give the PID of a running JVM of this user, as `list` shows");
            return null;
        }
    }

    private static void disconnect(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the target JVM went away; nothing to release
        }
    }

    /** Prints a value for {@code auth_password_hash}; the password never appears on a command line. */
    private static int hashPassword(PrintStream out, PrintStream err) {
        try {
            Console console = System.console();
            String password = console != null ? new String(console.readPassword("password: "))
                    : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (password == null || password.isEmpty()) {
                err.println("flowmeter: no password given on standard input");
                return 1;
            }
            out.println(ServerSecurity.PasswordHash.create(password));
            return 0;
        } catch (IOException | GeneralSecurityException failed) {
            err.println("flowmeter: cannot hash the password: " + failed);
            return 1;
        }
    }

    private static String agentJar() throws URISyntaxException {
        return new File(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getAbsolutePath();
    }
}
