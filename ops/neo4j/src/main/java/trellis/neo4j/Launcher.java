package trellis.neo4j;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs an embedded Neo4j Community server with only the Bolt connector enabled.
 *
 * <pre>
 *   Launcher --data DIR --port N --password PW
 * </pre>
 *
 * Env fallbacks: NEO4J_DATA, NEO4J_PORT, NEO4J_PASSWORD. Prints exactly one line to stdout,
 * {@code Neo4j ready on bolt://127.0.0.1:PORT}, once Bolt accepts connections; everything else
 * goes to stderr or to DIR/logs/. Exits 0 after a clean shutdown on SIGTERM/SIGINT.
 */
public final class Launcher {
    private static final String HOST = "127.0.0.1";
    private static final int MIN_PASSWORD_LENGTH = 8;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        // Keep stdout for the single ready line: anything else that writes to System.out
        // (library banners etc.) is redirected to stderr.
        PrintStream stdout = System.out;
        System.setOut(System.err);

        String data = env("NEO4J_DATA", null);
        String portText = env("NEO4J_PORT", "7687");
        String password = env("NEO4J_PASSWORD", null);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--data" -> data = value(args, ++i, a);
                case "--port" -> portText = value(args, ++i, a);
                case "--password" -> password = value(args, ++i, a);
                case "-h", "--help" -> {
                    usage();
                    System.exit(0);
                }
                default -> fail("unknown argument: " + a);
            }
        }
        if (data == null) fail("--data DIR is required (or NEO4J_DATA)");
        if (password == null) fail("--password PW is required (or NEO4J_PASSWORD)");
        if (password.length() < MIN_PASSWORD_LENGTH) {
            fail("password must be at least " + MIN_PASSWORD_LENGTH + " characters (Neo4j 5 rule)");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) fail("bad port: " + portText);

        Path home = Path.of(data).toAbsolutePath();
        Files.createDirectories(home);

        // SIGTERM/SIGINT: handled by us (installed before start-up) so that the JVM exits 0,
        // not 143/130, once the database has shut down cleanly.
        CountDownLatch signalled = new CountDownLatch(1);
        for (String sig : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> signalled.countDown());
            } catch (IllegalArgumentException e) {
                System.err.println("cannot handle SIG" + sig + ": " + e.getMessage());
            }
        }

        long t0 = System.nanoTime();
        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                    // Small, non-preallocated transaction logs: this is a dev/CI server.
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 32L * 1024 * 1024)
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                    // No usage-data reporting, and no big diagnostics dump into debug.log at start.
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseInternalSettings.dump_diagnostics, false)
                    // Bolt waits 5 s + 5 s by default for connections / event loops on shutdown.
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .build();
        } catch (RuntimeException e) {
            System.err.println("error: Neo4j failed to start (see " + home.resolve("logs/debug.log") + ")");
            e.printStackTrace();
            System.exit(1);
            return;
        }

        AtomicBoolean stopped = new AtomicBoolean(false);
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                System.err.println("Neo4j shutting down");
                dbms.shutdown();
                System.err.println("Neo4j stopped");
            }
        };
        // Fallback for JVM exits not caused by the signals handled above (e.g. SIGHUP).
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-shutdown"));

        try {
            setInitialPassword(dbms, password);
            waitForBolt(port);
        } catch (Exception e) {
            e.printStackTrace();
            stop.run();
            System.exit(1);
        }

        if (signalled.getCount() == 0) { // stopped while starting: no ready line
            stop.run();
            System.exit(0);
        }
        System.err.printf("Neo4j started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        stdout.println("Neo4j ready on bolt://" + HOST + ":" + port);
        stdout.flush();

        signalled.await();
        stop.run();
        System.exit(0);
    }

    /** On a fresh store the user neo4j must change its password: set it to PW, once. */
    private static void setInitialPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        boolean changeRequired = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                        + "RETURN passwordChangeRequired",
                Map.of(),
                r -> r.hasNext() && Boolean.TRUE.equals(r.next().get("passwordChangeRequired")));
        if (changeRequired) {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            System.err.println("Initial password of user neo4j set");
        } else {
            System.err.println("User neo4j already has a password; keeping it");
        }
    }

    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Bolt not accepting connections on port " + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) fail(flag + " needs a value");
        return args[i];
    }

    private static void usage() {
        System.err.println("usage: Launcher --data DIR [--port N] --password PW"
                + "  (env: NEO4J_DATA, NEO4J_PORT (default 7687), NEO4J_PASSWORD)");
    }

    private static void fail(String msg) {
        System.err.println("error: " + msg);
        usage();
        System.exit(2);
    }
}
