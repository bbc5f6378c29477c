package dev.backuprestore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real etcd and kube-apiserver on 127.0.0.1, started as processes from the binaries that {@code
 * scripts/control-plane.sh} builds (envtest style: no kubelet, no controller manager). Tests use
 * {@link #shared()}; a test that needs its own apiserver flags (for example an encryption provider
 * configuration) starts one with {@link #start(List)} and closes it.
 */
public final class LocalControlPlane implements AutoCloseable {
  private static final String ADMIN_TOKEN_USER = "admin";

  /** A user bound to the cluster-admin ClusterRole but not in system:masters. */
  public static final String CLUSTER_ADMIN_USER = "cluster-admin-user";

  private static LocalControlPlane shared;

  private final Path workDir;
  private final ControlPlaneBinaries binaries;
  private final String adminToken = UUID.randomUUID().toString();
  private final String clusterAdminToken = UUID.randomUUID().toString();
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();

  /** The etcd and kube-apiserver command lines, in start order, for {@link #startServers()}. */
  private final List<List<String>> commands = new ArrayList<>();

  private int etcdPort;
  private int etcdPeerPort;
  private int apiServerPort;
  private List<String> apiServerCommand;
  private Process apiServer;
  private KubernetesClient client;
  private Path kubeconfig;

  private LocalControlPlane(ControlPlaneBinaries binaries, Path workDir) {
    this.binaries = binaries;
    this.workDir = workDir;
  }

  /** The control plane shared by every test of this JVM, started on first use. */
  public static synchronized LocalControlPlane shared() {
    if (shared == null) {
      shared = start(List.of());
      LocalControlPlane started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "control-plane-stop"));
    }
    return shared;
  }

  /** Starts a separate control plane with extra kube-apiserver flags; the caller closes it. */
  public static LocalControlPlane start(List<String> extraApiServerFlags) {
    try {
      Path dir = Files.createTempDirectory("bro-control-plane-");
      LocalControlPlane plane = new LocalControlPlane(ControlPlaneBinaries.locate(), dir);
      plane.startProcesses(extraApiServerFlags);
      return plane;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /** A kubeconfig file with admin (system:masters) credentials for kubectl or another client. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path kubectl() {
    return binaries.kubectl();
  }

  public String apiServerUrl() {
    return "https://127.0.0.1:" + apiServerPort;
  }

  /** The bearer token of the admin user; it belongs to the group system:masters. */
  public String adminToken() {
    return adminToken;
  }

  /** A fabric8 configuration of the admin user, for clients that need their own settings. */
  public Config adminConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(apiServerUrl())
        .withOauthToken(adminToken)
        .withTrustCerts(true)
        .withDisableHostnameVerification(true)
        .withRequestTimeout(30_000)
        .build();
  }

  /** The kube-apiserver's Prometheus metrics (its {@code /metrics} text), read as admin. */
  public String apiServerMetrics() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(apiServerUrl() + "/metrics"))
              .header("Authorization", "Bearer " + adminToken)
              .timeout(Duration.ofSeconds(30))
              .build();
      return InsecureHttp.client().send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The number of requests the kube-apiserver answered so far whose {@code apiserver_request_total}
   * labels include all of {@code labels}, each written as in the metrics text, e.g. {@code
   * code="429"}, {@code verb="PUT"}, {@code resource="configmaps"}.
   */
  public long apiServerRequests(String... labels) {
    return apiServerMetrics()
        .lines()
        .filter(line -> line.startsWith("apiserver_request_total{"))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * A fabric8 configuration of {@link #CLUSTER_ADMIN_USER}: every permission through RBAC, but not
   * in system:masters, so the apiserver's max-in-flight limits and priority and fairness apply to
   * it (system:masters is exempt), as they do to an operator's service account.
   */
  public Config clusterAdminConfig() {
    client
        .rbac()
        .clusterRoleBindings()
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("test-cluster-admin-user")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(CLUSTER_ADMIN_USER)
                .endSubject()
                .build())
        .serverSideApply();
    return new ConfigBuilder(adminConfig()).withOauthToken(clusterAdminToken).build();
  }

  /** The client URL of the apiserver's own etcd (plain HTTP on loopback). */
  public String etcdUrl() {
    return "http://127.0.0.1:" + etcdPort;
  }

  /** The raw bytes etcd holds under a key such as {@code /registry/secrets/default/name}. */
  public byte[] etcdGet(String key) {
    JsonNode response = etcdCall("/v3/kv/range", Map.of("key", base64(key)));
    JsonNode kvs = response.path("kvs");
    if (!kvs.isArray() || kvs.isEmpty()) {
      throw new IllegalStateException("etcd has no key " + key);
    }
    return Base64.getDecoder().decode(kvs.get(0).path("value").asText());
  }

  /** Writes raw bytes under an etcd key, bypassing the apiserver. */
  public void etcdPut(String key, byte[] value) {
    etcdCall(
        "/v3/kv/put",
        Map.of("key", base64(key), "value", Base64.getEncoder().encodeToString(value)));
  }

  private JsonNode etcdCall(String path, Map<String, String> body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + etcdPort + path))
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
              .header("Content-Type", "application/json")
              .build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "etcd "
                + path
                + " answered "
                + response.statusCode()
                + ": "
                + new String(response.body()));
      }
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private void startProcesses(List<String> extraApiServerFlags) throws IOException {
    long started = System.nanoTime();
    etcdPort = freePort();
    etcdPeerPort = freePort();
    commands.add(
        List.of(
            binaries.etcd().toString(),
            "--name=default",
            "--data-dir=" + workDir.resolve("etcd"),
            "--listen-client-urls=http://127.0.0.1:" + etcdPort,
            "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
            "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
            "--initial-cluster=default=http://127.0.0.1:" + etcdPeerPort,
            "--unsafe-no-fsync=true",
            "--log-level=warn"));
    launchEtcd();

    ServiceAccountKeys keys = ServiceAccountKeys.generate(workDir);
    Path tokens = workDir.resolve("tokens.csv");
    Files.writeString(
        tokens,
        adminToken
            + ","
            + ADMIN_TOKEN_USER
            + ",admin-uid,system:masters\n"
            + clusterAdminToken
            + ","
            + CLUSTER_ADMIN_USER
            + ",cluster-admin-uid,cluster-admins\n");
    apiServerPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(binaries.kubeApiServer().toString());
    command.addAll(
        List.of(
            "--etcd-servers=http://127.0.0.1:" + etcdPort,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            "--secure-port=" + apiServerPort,
            "--cert-dir=" + workDir.resolve("certs"),
            "--token-auth-file=" + tokens,
            "--authorization-mode=RBAC",
            "--service-cluster-ip-range=10.0.0.0/24",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + keys.publicKey(),
            "--service-account-signing-key-file=" + keys.privateKey(),
            // No controller manager creates the default ServiceAccounts, so Pods could not be
            // admitted with this plugin on.
            "--disable-admission-plugins=ServiceAccount",
            "--allow-privileged=true",
            "--v=0"));
    command.addAll(extraApiServerFlags);
    commands.add(List.copyOf(command));
    apiServerCommand = List.copyOf(command);
    startApiServer();

    client = new KubernetesClientBuilder().withConfig(adminConfig()).build();
    kubeconfig = writeKubeconfig();
    System.out.printf(
        "LocalControlPlane: kube-apiserver %s with etcd %s on %s, ready in %d ms%n",
        client.getKubernetesVersion().getGitVersion(),
        binaries.etcdVersion(),
        apiServerUrl(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /**
   * Stops the kube-apiserver (SIGTERM, as a rolling restart does; SIGKILL after 10 s) and waits
   * until it has exited; etcd keeps running. Clients see connection failures until {@link
   * #startApiServer()}.
   */
  public synchronized void stopApiServer() {
    if (apiServer == null) {
      return;
    }
    Process stopping = apiServer;
    apiServer = null;
    processes.remove(stopping);
    stopProcess(stopping);
  }

  /**
   * Starts the kube-apiserver again with the same flags, port, certificates and etcd (so with the
   * same data) and waits until it is ready. Does nothing if it is running.
   */
  public synchronized void startApiServer() {
    if (apiServer != null) {
      return;
    }
    try {
      apiServer = launch("kube-apiserver", apiServerCommand);
      processes.add(apiServer);
      waitUntil("kube-apiserver", this::apiServerReady);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link #stopApiServer()} then {@link #startApiServer()}: a restart on the same etcd and port.
   */
  public void restartApiServer() {
    stopApiServer();
    startApiServer();
  }

  private void launchEtcd() throws IOException {
    processes.add(launch("etcd", commands.get(0)));
    waitUntil("etcd", () -> httpStatus("http://127.0.0.1:" + etcdPort + "/health") == 200);
  }

  private void launchApiServer() {
    startApiServer();
  }

  /** etcd's client URL (plain HTTP on loopback). */
  public String etcdClientUrl() {
    return "http://127.0.0.1:" + etcdPort;
  }

  /** etcd's peer URL; its member name is {@code default}. */
  public String etcdPeerUrl() {
    return "http://127.0.0.1:" + etcdPeerPort;
  }

  /** etcd's data directory. */
  public Path etcdDataDir() {
    return workDir.resolve("etcd");
  }

  /**
   * Stops kube-apiserver, then etcd (SIGTERM, as a kubelet or systemd would), keeping their data;
   * {@link #startServers()} starts them again on the same ports. For etcd restore tests; never on
   * the {@link #shared()} control plane.
   */
  public synchronized void stopServers() {
    if (this == shared) {
      throw new IllegalStateException("the shared control plane cannot be stopped");
    }
    stopProcesses();
  }

  /** Starts etcd, then kube-apiserver, with the same flags, ports and data directory as before. */
  public synchronized void startServers() throws IOException {
    if (!processes.isEmpty()) {
      throw new IllegalStateException("the control plane is running");
    }
    launchEtcd();
    launchApiServer();
  }

  private boolean apiServerReady() {
    try {
      HttpClient insecure = InsecureHttp.client();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(apiServerUrl() + "/readyz"))
              .header("Authorization", "Bearer " + adminToken)
              .timeout(Duration.ofSeconds(2))
              .build();
      return insecure.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int httpStatus(String url) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private Process launch(String name, List<String> command) throws IOException {
    Path log = workDir.resolve(name + ".log");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private void waitUntil(String what, java.util.function.BooleanSupplier ready) throws IOException {
    Instant deadline = Instant.now().plusSeconds(90);
    while (!ready.getAsBoolean()) {
      for (Process process : processes) {
        if (!process.isAlive()) {
          throw new IllegalStateException(what + " exited early; log:\n" + logTail(what));
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(what + " not ready after 90 s; log:\n" + logTail(what));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private String logTail(String name) throws IOException {
    Path log = workDir.resolve(name + ".log");
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private Path writeKubeconfig() throws IOException {
    Path file = workDir.resolve("kubeconfig");
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        users:
        - name: admin
          user:
            token: %s
        contexts:
        - name: local
          context:
            cluster: local
            user: admin
        current-context: local
        """
            .formatted(apiServerUrl(), adminToken);
    Files.writeString(file, yaml);
    return file;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void stopProcess(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    stopProcesses();
    TestFiles.deleteRecursively(workDir);
  }

  private void stopProcesses() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      stopProcess(processes.get(i));
    }
    processes.clear();
    apiServer = null;
  }
}
