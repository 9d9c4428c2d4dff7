package dev.prism.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The direction of the module dependencies (docs/ARCHITECTURE.md), read from every module's pom.xml:
 * {@code sfu-core <- sfu-srtp <- sfu-rtp <- sfu-conference <- {sfu-signaling, sfu-ops}}; sfu-cluster and admin-ui
 * on sfu-core only; netem (the test network emulator) on sfu-core only, used by prism-server's tests; prism-server,
 * the launcher, on everything; perf on prism-server, sfu-cluster (the link bench) and
 * sfu-rtp's test kit; prism-server-sdk (backends' library) on nothing, used by prism-server's tests only. A module
 * may name anything below it (its own transitive dependencies) and, in test scope, the test-jars of those; nothing
 * else. And the main sources of sfu-signaling and sfu-ops name no router type (they call the conference), and neither
 * names the other's or the admin UI's packages.
 */
class ModuleLayeringTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();

    /** The Prism modules each module may declare (main or test scope). */
    private static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("sfu-core", Set.of());
        ALLOWED.put("netem", Set.of("sfu-core")); // test infrastructure: prism-server's browser tests use it
        ALLOWED.put("sfu-srtp", Set.of("sfu-core"));
        ALLOWED.put("sfu-rtp", Set.of("sfu-core", "sfu-srtp"));
        ALLOWED.put("sfu-conference", Set.of("sfu-core", "sfu-srtp", "sfu-rtp"));
        ALLOWED.put("sfu-signaling", Set.of("sfu-core", "sfu-srtp", "sfu-rtp", "sfu-conference"));
        ALLOWED.put("sfu-ops", Set.of("sfu-core", "sfu-srtp", "sfu-rtp", "sfu-conference"));
        ALLOWED.put("sfu-cluster", Set.of("sfu-core"));
        ALLOWED.put("admin-ui", Set.of("sfu-core"));
        ALLOWED.put("sfu-webhooks", Set.of("sfu-core")); // hears sfu-core's room events; the launcher wires it
        ALLOWED.put("prism-server", Set.of("sfu-core", "sfu-srtp", "sfu-rtp", "sfu-conference", "sfu-signaling",
                "sfu-ops", "sfu-cluster", "admin-ui", "sfu-webhooks", "netem", "prism-server-sdk"));
        ALLOWED.put("perf", Set.of("prism-server", "sfu-rtp", "sfu-cluster")); // the link bench (perf/run link)
        ALLOWED.put("prism-server-sdk", Set.of()); // a backend's library: JDK only (theServerSdkIsABackendLibrary)
    }

    /** Test-jars a module may use outside test scope (perf's benchmarks run on sfu-rtp's test kit). */
    private static final Set<String> MAIN_SCOPE_TEST_JARS = Set.of("perf -> sfu-rtp");

    /** Packages a module's main sources must not name. */
    private static final Map<String, List<String>> FORBIDDEN_IMPORTS = Map.of(
            "sfu-signaling", List.of("dev.prism.rtp.router", "dev.prism.ops", "dev.prism.admin"),
            "sfu-ops", List.of("dev.prism.rtp.router", "dev.prism.signaling", "dev.prism.admin"));

    record Dependency(String from, String to, String type, String scope) {
        @Override
        public String toString() {
            return from + " -> " + to + ("test-jar".equals(type) ? " (test-jar)" : "") + " [" + scope + "]";
        }
    }

    @Test
    void everyModuleOfTheReactorHasARule() throws Exception {
        assertThat(new TreeSet<>(modules())).isEqualTo(new TreeSet<>(ALLOWED.keySet()));
    }

    @Test
    void dependenciesPointOnlyDownTheLayers() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String module : modules()) {
            for (Dependency d : prismDependencies(module)) {
                boolean allowed = ALLOWED.getOrDefault(module, Set.of()).contains(d.to());
                if ("test-jar".equals(d.type()) && !"test".equals(d.scope())) {
                    allowed &= MAIN_SCOPE_TEST_JARS.contains(module + " -> " + d.to());
                }
                if (!allowed) {
                    wrong.add(d.toString());
                }
            }
        }
        assertThat(wrong).as("dependencies against the layering of docs/ARCHITECTURE.md").isEmpty();
    }

    @Test
    void theLauncherIsTheOnlyModuleOnSignalingOpsAndTheAdminUi() throws Exception {
        List<String> users = new ArrayList<>();
        for (String module : modules()) {
            for (Dependency d : prismDependencies(module)) {
                if (Set.of("sfu-signaling", "sfu-ops", "admin-ui").contains(d.to())) {
                    users.add(d.toString());
                }
            }
        }
        assertThat(users).containsExactlyInAnyOrder("prism-server -> sfu-signaling [compile]",
                "prism-server -> sfu-ops [compile]", "prism-server -> admin-ui [compile]");
    }

    @Test
    void theNetworkEmulatorIsUsedByTestsOnly() throws Exception {
        List<String> mainUses = new ArrayList<>();
        for (String module : modules()) {
            for (Dependency d : prismDependencies(module)) {
                if ("netem".equals(d.to()) && !"test".equals(d.scope())) {
                    mainUses.add(d.toString());
                }
            }
        }
        assertThat(mainUses).as("netem is test infrastructure").isEmpty();
    }

    /**
     * The server SDK goes on backends' classpaths: it declares no dependency outside test scope (no Prism module, no
     * third-party jar), its main sources name no Prism package but its own, and Prism modules use it in tests only.
     */
    @Test
    void theServerSdkIsABackendLibrary() throws Exception {
        List<String> sdkRuntime = new ArrayList<>();
        for (Element d : children(pom(ROOT.resolve("prism-server-sdk/pom.xml")).getDocumentElement(), "dependencies",
                "dependency")) {
            if (!"test".equals(text(d, "scope", "compile"))) {
                sdkRuntime.add(text(d, "groupId", null) + ":" + text(d, "artifactId", null));
            }
        }
        assertThat(sdkRuntime).as("prism-server-sdk's runtime dependencies").isEmpty();
        List<String> mainUses = new ArrayList<>();
        for (String module : modules()) {
            for (Dependency d : prismDependencies(module)) {
                if ("prism-server-sdk".equals(d.to()) && !"test".equals(d.scope())) {
                    mainUses.add(d.toString());
                }
            }
        }
        assertThat(mainUses).as("the server SDK is for backends; Prism's modules use it in tests").isEmpty();
        List<String> imports = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("prism-server-sdk/src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import") && line.contains("dev.prism.") && !line.contains("dev.prism.sdk.")) {
                        imports.add(ROOT.relativize(f) + ": " + line.strip());
                    }
                }
            }
        }
        assertThat(imports).as("the server SDK names no Prism server package").isEmpty();
    }

    @Test
    void signalingAndOpsMainSourcesNameNoRouterTypeAndNotEachOther() throws IOException {
        List<String> offending = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : FORBIDDEN_IMPORTS.entrySet()) {
            Path main = ROOT.resolve(e.getKey()).resolve("src/main/java");
            assertThat(main).isDirectory();
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        for (String forbidden : e.getValue()) {
                            if (lines.get(i).contains(forbidden + ".")) {
                                offending.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                            }
                        }
                    }
                }
            }
        }
        assertThat(offending).as("signaling and ops call the conference, not the router, nor each other").isEmpty();
    }

    private static List<String> modules() throws Exception {
        List<String> out = new ArrayList<>();
        for (Element m : children(pom(ROOT.resolve("pom.xml")).getDocumentElement(), "modules", "module")) {
            out.add(m.getTextContent().strip());
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static List<Dependency> prismDependencies(String module) throws Exception {
        List<Dependency> out = new ArrayList<>();
        for (Element d : children(pom(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement(), "dependencies",
                "dependency")) {
            if ("dev.prism".equals(text(d, "groupId", null))) {
                out.add(new Dependency(module, text(d, "artifactId", null), text(d, "type", "jar"),
                        text(d, "scope", "compile")));
            }
        }
        return out;
    }

    private static Document pom(Path file) throws Exception {
        assertThat(file).isRegularFile();
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    /** The {@code child} elements of the direct {@code container} child of {@code parent}. */
    private static List<Element> children(Element parent, String container, String child) {
        List<Element> out = new ArrayList<>();
        for (Element c : direct(parent, container)) {
            out.addAll(direct(c, child));
        }
        return out;
    }

    private static List<Element> direct(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name, String fallback) {
        List<Element> e = direct(parent, name);
        return e.isEmpty() ? fallback : e.get(0).getTextContent().strip();
    }
}
