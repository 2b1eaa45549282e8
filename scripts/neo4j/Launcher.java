// Joined-Up local Neo4j launcher: a Neo4j Community DBMS with Bolt on loopback and auth on.
//
// Run by scripts/neo4j-local (see docs/neo4j.md), or by hand:
//
//   NEO4J_PASSWORD=... java -Xmx2g -cp ".neo4j/lib/*" scripts/neo4j/Launcher.java HOME PORT
//
// HOME is the Neo4j home folder (data goes to HOME/data, Neo4j's own logs to HOME/logs);
// PORT is the Bolt port, bound on 127.0.0.1 only. The classpath comes from
//   mvn -q -f scripts/neo4j/pom.xml dependency:copy-dependencies -DoutputDirectory=.neo4j/lib
// Neo4j (GPLv3) is fetched at run time and never vendored into the repository.
//
// Environment:
//   NEO4J_PASSWORD          required; password of user "neo4j" (at least 8 characters)
//   NEO4J_PAGECACHE         page cache size, default 512m
//   NEO4J_TX_MEMORY_MAX     dbms.memory.transaction.total.max; unset = Neo4j's default, 70% of the max
//                           heap (1.4 GB with -Xmx2g; a 1M-relationship transaction needs ~0.8 GB);
//                           0 = unlimited (a too-big transaction then ends in OutOfMemoryError)
//
// Prints "Bolt ready on 127.0.0.1:PORT" once Bolt accepts connections with the password set;
// shuts the DBMS down cleanly on SIGTERM/SIGINT.

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;

public class Launcher {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            die("usage: java -cp '.neo4j/lib/*' Launcher.java HOME PORT");
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            die("invalid port: " + args[1]);
        }
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            die("NEO4J_PASSWORD must be set to at least 8 characters");
        }
        long pageCache = ByteUnit.parse(envOr("NEO4J_PAGECACHE", "512m"));
        String txMemoryMax = envOr("NEO4J_TX_MEMORY_MAX", null);

        Path systemDb = home.resolve("data").resolve("databases").resolve("system");
        boolean firstStart = !Files.exists(systemDb);
        if (firstStart) {
            // What `neo4j-admin dbms set-initial-password` does: write HOME/data/dbms/auth.ini,
            // which the system database reads once, when it is created. So Bolt never
            // serves the default neo4j/neo4j credentials, not even for a moment.
            writeInitialPassword(home, password);
        }

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // No LOAD CSV from file:/// URLs (dbms.security.allow_csv_import_from_file_urls), and no
                // extension procedures or functions at all (dbms.security.procedures.allowlist empty):
                // Joined-Up calls none. Built-in procedures (dbms.*, db.*) are not governed by the
                // allow-list; the app's read guard refuses every CALL (docs/deployment.md).
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of())
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // Server-side routing would open a second port (7688); not needed on one instance.
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Netty waits 5 s for quiet before closing Bolt; a local server can stop at once.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        // Per-database and per-transaction limits stay at their default, 0 = no limit of their own.
        if (txMemoryMax != null) {
            builder.setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.parse(txMemoryMax));
        }
        DatabaseManagementService dbms = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Neo4j ...");
            try {
                dbms.shutdown();
                System.out.println("Neo4j stopped");
            } catch (Throwable t) {
                System.out.println("Neo4j shutdown failed: " + t);
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        if (firstStart) {
            // The system database has taken the password in; do not leave the hash lying around.
            Files.deleteIfExists(initialUserFile(home));
        } else {
            syncPassword(dbms, password);
        }
        long uptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.printf("Bolt ready on %s:%d (JVM up %.1f s)%n", HOST, port, uptimeMs / 1000.0);
        System.out.flush();
        stopped.await();
    }

    /** Writes HOME/data/dbms/auth.ini exactly as neo4j-admin dbms set-initial-password does. */
    private static void writeInitialPassword(Path home, String password) throws Exception {
        Path authFile = initialUserFile(home);
        Files.createDirectories(authFile.getParent());
        Files.deleteIfExists(authFile);
        try (DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
            FileUserRepository repo = new FileUserRepository(
                    fs, authFile, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
            repo.start();
            SystemGraphCredential credential = SystemGraphCredential.createCredentialForPassword(
                    password.getBytes(StandardCharsets.UTF_8), new SecureHasher());
            repo.create(new User("neo4j", null, credential, false, false));
            repo.shutdown();
        }
    }

    private static Path initialUserFile(Path home) {
        Config config = Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, home).build();
        return CommunitySecurityModule.getInitialUserRepositoryFile(config);
    }

    /**
     * On later starts, makes the stored password match NEO4J_PASSWORD (the password file may have
     * been replaced). Checking the stored credential directly is instant; the Cypher ALTER USER
     * (which costs ~3 s of query-planner warm-up) only runs when the password differs. Embedded
     * transactions run with full rights, so ALTER USER works in Community.
     */
    private static void syncPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try (Transaction tx = system.beginTx()) {
            Node user = tx.findNode(Label.label("User"), "name", "neo4j");
            if (user != null) {
                SystemGraphCredential stored = SystemGraphCredential.deserialize(
                        String.valueOf(user.getProperty("credentials")), new SecureHasher());
                boolean changeRequired = Boolean.TRUE.equals(user.getProperty("passwordChangeRequired", false));
                if (stored.matchesPassword(password.getBytes(StandardCharsets.UTF_8)) && !changeRequired) {
                    return;
                }
            }
        } catch (Exception e) {
            // Unknown system-graph layout: fall through to the documented command.
        }
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            System.out.println("Password of user neo4j set from NEO4J_PASSWORD");
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("Old password and new password cannot be the same")) {
                System.out.println("Could not set the password of user neo4j: " + msg);
                System.out.flush();
                System.exit(1); // the shutdown hook stops the DBMS
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static void die(String message) {
        System.err.println("Launcher: " + message);
        System.exit(2);
    }
}
