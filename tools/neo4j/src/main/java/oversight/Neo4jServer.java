package oversight;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.internal.kernel.api.security.LoginContext;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.internal.Version;

/**
 * A real Neo4j Community server (embedded DBMS + Bolt connector) on loopback,
 * for tests and local use where Docker and the neo4j.com tarball are not
 * available.  Normally started by tools/neo4j/server.py.
 *
 * Usage: Neo4jServer HOME_DIR [PORT] [--wipe] [--exit-on-eof]
 *   HOME_DIR       Neo4j home: data/ and logs/ (debug.log) are created under it.
 *   PORT           Bolt port; else env NEO4J_PORT; 0 or absent = a free port.
 *   --wipe         delete HOME_DIR/data and HOME_DIR/logs first (a fresh,
 *                  empty DBMS); other files there, e.g. a pid file, survive.
 *   --exit-on-eof  shut down when stdin closes, so a parent process that dies
 *                  (e.g. a killed pytest) cannot leave an orphaned server.
 * Env NEO4J_PASSWORD: if set and non-empty, auth is on and user neo4j gets
 * this password (8 characters at least, as in any Neo4j); otherwise auth is off.
 *
 * Stdout carries exactly one line, bolt://127.0.0.1:PORT, once the server
 * accepts queries; everything else goes to stderr.  SIGTERM (or stdin EOF
 * with --exit-on-eof) shuts the DBMS down cleanly via a shutdown hook.
 */
public final class Neo4jServer {
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // Neo4j's non-daemon threads could otherwise keep a half-started JVM alive.
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path home = null;
        Integer port = null;
        boolean wipe = false, exitOnEof = false;
        for (String a : args) {
            if (a.equals("--wipe")) wipe = true;
            else if (a.equals("--exit-on-eof")) exitOnEof = true;
            else if (home == null) home = Path.of(a).toAbsolutePath();
            else port = Integer.parseInt(a);
        }
        if (home == null) {
            System.err.println("usage: Neo4jServer HOME_DIR [PORT] [--wipe] [--exit-on-eof]");
            System.exit(2);
        }
        if (port == null) {
            String env = System.getenv("NEO4J_PORT");
            port = (env == null || env.isBlank()) ? 0 : Integer.parseInt(env.trim());
        }
        String password = System.getenv("NEO4J_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        // Keep stdout for the single URI line; anything Neo4j or its libraries
        // print goes to stderr, which the launcher sends to a log file.
        PrintStream uriOut = System.out;
        System.setOut(System.err);

        if (wipe) {
            // Only what Neo4j itself creates, so a mistyped HOME_DIR loses little.
            deleteTree(home.resolve("data"));
            deleteTree(home.resolve("logs"));
        }
        Files.createDirectories(home);
        if (auth) {
            // Fast path for a new DBMS: the auth.ini that `neo4j-admin dbms
            // set-initial-password` writes, read when user neo4j is first
            // created.  An existing DBMS ignores it; see passwordWorks below.
            int rc = AdminTool.execute(new ExecutionContext(home, home.resolve("conf")),
                    "dbms", "set-initial-password", password);
            if (rc != 0) throw new IllegalStateException("set-initial-password failed, exit code " + rc);
        }

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (port != 0) {
            // What neo4j:// routing tables name.  With port 0 they say :7687, yet
            // drivers still reach this server (they route by the address they used).
            builder.setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port));
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                // Port 0 lets the OS pick; the real port is read back below,
                // which avoids the probe-then-bind race of "find a free port".
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                // Small footprint: tests run beside it on a 2-core machine.
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt otherwise idles 5 s twice on shutdown; tests stop it often.
                // (It then logs a harmless "Termination ... exceeded" WARN.)
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        GraphDatabaseAPI system = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        if (auth && !passwordWorks(system, password)) {
            // A reused data dir whose user neo4j already has another password.
            // Embedded transactions bypass auth, so the system database can
            // set it; this costs ~4 s of Cypher warm-up, hence the fast path.
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        }
        // Wait for the default database too, so the first query cannot race startup.
        if (!dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(120_000)) {
            throw new IllegalStateException("default database not available after 120 s");
        }

        int bound = system.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.err.printf("Neo4j %s ready on port %d, %.1f s after JVM start%n", Version.getNeo4jVersion(),
                bound, (System.currentTimeMillis() - jvmStart) / 1000.0);
        uriOut.println("bolt://127.0.0.1:" + bound);
        uriOut.flush();

        if (exitOnEof) {
            while (System.in.read() != -1) { /* ignore input */ }
            System.exit(0); // runs the shutdown hook
        }
        // Otherwise Neo4j's non-daemon threads keep the JVM up until SIGTERM.
    }

    private static boolean passwordWorks(GraphDatabaseAPI db, String password) throws Exception {
        AuthManager auth = db.getDependencyResolver().resolveDependency(AuthManager.class);
        LoginContext login = auth.login(
                AuthToken.newBasicAuthToken(AuthManager.INITIAL_USER_NAME, password),
                ClientConnectionInfo.EMBEDDED_CONNECTION);
        return login.subject().getAuthenticationResult() == AuthenticationResult.SUCCESS;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(q);
        }
    }
}
