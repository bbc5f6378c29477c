package dev.backuprestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.BackupSpec;
import dev.backuprestore.api.v1.BackupStatus;
import dev.backuprestore.archive.BackupFileName;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.cli.archive.PlanObserver;
import dev.backuprestore.config.OperatorProtectedObjects;
import dev.backuprestore.config.StorageDefaults;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.restore.RestoreJob;
import dev.backuprestore.restore.RestoreResult;
import dev.backuprestore.restore.RestoreRunner;
import dev.backuprestore.storage.S3Credentials;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import dev.backuprestore.storage.Upload;
import dev.backuprestore.testing.BackupFixtures;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import dev.backuprestore.testing.S3ProxyServer;
import dev.backuprestore.testing.Workloads;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real S3 server (S3Proxy, HTTP and HTTPS with the endpoint CA) and a real API
 * server: ls and verify over S3 with credentials from the environment and from a Secret, a Backup's
 * latest archive by name, in-place key rotation, diff --live, and a plan compared with what the
 * restore engine then really does.
 */
class BroCliIT {
  private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  private static final String OTHER_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
  private static final String CLUSTER = "0b6f0b5c-2d3e-4f5a-9b8c-7d6e5f4a3b2c";

  private static final LocalControlPlane PLANE = LocalControlPlane.shared();
  private static final KubernetesClient CLIENT = PLANE.client();
  private static final String RUN =
      "bro-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
  private static S3ProxyServer s3;

  @TempDir static Path dir;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.http();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Test
  void lsVerifyAndReencryptInPlaceOverS3WithCredentialsFromTheEnvironment() throws Exception {
    String bucket = RUN + "-env";
    s3.createBucket(bucket);
    Path config = Archives.config(dir, "aescbc", "ours", KEY);
    ZonedDateTime time = ZonedDateTime.of(2026, 12, 1, 2, 0, 0, 0, ZoneOffset.UTC);
    String name = BackupFileName.format("nightly", CLUSTER, time, true);
    upload(bucket, "team", name, archive("app", Archives.cipher(config)));
    List<String> location =
        List.of(
            "--s3-bucket",
            bucket,
            "--s3-folder",
            "team",
            "--s3-endpoint",
            s3.endpoint(),
            "--s3-region",
            "us-east-1",
            "--s3-plain-http");

    System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    try {
      Cli.Run ls = Cli.run(args("ls", location));
      assertThat(ls.code()).as(ls.toString()).isZero();
      assertThat(ls.out()).contains(name, "nightly", CLUSTER, "yes");

      Cli.Run verify = Cli.run(args("verify", location, "-e", config.toString(), name));
      assertThat(verify.code()).as(verify.toString()).isZero();
      assertThat(verify.out()).startsWith("OK " + name + ": 3 objects (1 encrypted");

      Path rotated = Archives.config(dir, "aesgcm", "rotated", OTHER_KEY);
      Cli.Run reencrypt =
          Cli.run(
              args(
                  "reencrypt",
                  location,
                  "-e",
                  config.toString(),
                  "--to-encryption-config",
                  rotated.toString(),
                  "--in-place",
                  name));
      assertThat(reencrypt.code()).as(reencrypt.toString()).isZero();
      assertThat(Cli.run(args("verify", location, "-e", rotated.toString(), name)).code()).isZero();
      assertThat(Cli.run(args("verify", location, "-e", config.toString(), name)).code())
          .isEqualTo(ExitCodes.FINDINGS);
      assertThat(s3.pendingMultipartUploads(bucket)).isEmpty();
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  @Test
  void readsABackupsLatestArchiveByNameWithTheCredentialsOfItsSecretOverHttps() throws Exception {
    try (S3ProxyServer https = S3ProxyServer.https(Files.createDirectories(dir.resolve("tls")))) {
      String bucket = RUN + "-backup";
      https.createBucket(bucket);
      OperatorHarness.installCrds(CLIENT);
      String namespace = RUN + "-creds";
      CLIENT
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      CLIENT
          .secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("s3-creds")
                  .endMetadata()
                  .addToStringData("accessKey", S3ProxyServer.ACCESS_KEY)
                  .addToStringData("secretKey", S3ProxyServer.SECRET_KEY)
                  .build())
          .create();
      String name = BackupFileName.format(RUN, CLUSTER, ZonedDateTime.now(ZoneOffset.UTC), false);
      S3Location target =
          S3Location.builder(bucket)
              .endpoint(https.endpoint())
              .endpointCA(https.caPem())
              .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
              .build();
      try (S3Store store = new S3Store(target);
          Upload upload = store.openUpload(name)) {
        upload.stream().write(archive("app", ObjectCipher.none()));
        upload.commit();
      }
      Path ca = Files.writeString(dir.resolve("ca.pem"), https.caPem());
      Backup backup = new Backup();
      backup.setMetadata(new ObjectMeta());
      backup.getMetadata().setName(RUN);
      BackupSpec spec = new BackupSpec();
      spec.setResourceSetName("rancher-resource-set");
      spec.setStorageLocation(BackupFixtures.s3(https, bucket, namespace, "s3-creds"));
      spec.getStorageLocation().getS3().setEndpointCA(ca.toString());
      backup.setSpec(spec);
      backup = CLIENT.resources(Backup.class).resource(backup).create();
      backup.setStatus(new BackupStatus());
      backup.getStatus().setFilename(name);
      CLIENT.resources(Backup.class).resource(backup).updateStatus();

      Cli.Run verify =
          Cli.run("verify", "--kubeconfig", PLANE.kubeconfig().toString(), "--backup", RUN);

      assertThat(verify.code()).as(verify.toString()).isZero();
      assertThat(verify.out()).startsWith("OK " + name + ": 3 objects");
      Cli.Run ls = Cli.run("ls", "--kubeconfig", PLANE.kubeconfig().toString(), "--backup", RUN);
      assertThat(ls.out()).contains(name);
    }
  }

  @Test
  void diffLiveAndPlanMatchWhatTheRestoreThenDoes() throws IOException {
    String ns = RUN + "-plan";
    CLIENT
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    createConfigMap(Archives.configMap(ns, "same", "k", "v"));
    createConfigMap(Archives.configMap(ns, "changed", "k", "live"));
    createConfigMap(Archives.configMap(ns, "extra", "k", "v"));
    CLIENT
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(Workloads.deployment(ns, "controller", 2))
        .create();
    Path config = Archives.config(dir, "aescbc", "plan", KEY);
    ObjectCipher cipher = Archives.cipher(config);
    ObjectNode widget =
        Archives.JSON.createObjectNode().put("apiVersion", "example.com/v1").put("kind", "Widget");
    widget.putObject("metadata").put("name", "w").put("namespace", ns);
    ObjectNode badLabel = Archives.configMap(ns, "bad-label", "k", "v");
    ((ObjectNode) badLabel.path("metadata")).putObject("labels").put("tier", "not valid!");
    Path archive =
        new Archives()
            .filters(
                """
                {"metadata":{"name":"plan-set"},"resourceSelectors":[{"apiVersion":"v1",\
                "kindsRegexp":"^(configmaps|secrets)$","namespaces":["%s"]}],\
                "controllerReferences":[{"apiVersion":"apps/v1","resource":"deployments",\
                "namespace":"%s","name":"controller"}]}"""
                    .formatted(ns, ns))
            .add("configmaps", Archives.configMap(ns, "same", "k", "v"))
            .add("configmaps", Archives.configMap(ns, "changed", "k", "archived"))
            .add("configmaps", Archives.configMap(ns, "created", "k", "v"))
            .add("configmaps", badLabel)
            .add("secrets", Archives.secret(ns, "db", "password", "c2VjcmV0"))
            .add("widgets", widget)
            .write(dir.resolve("plan.tar.gz.enc"), cipher);
    String kubeconfig = PLANE.kubeconfig().toString();

    Cli.Run diff =
        Cli.run(
            "diff",
            "--kubeconfig",
            kubeconfig,
            "-e",
            config.toString(),
            "--live",
            archive.toString());
    assertThat(diff.code()).as(diff.toString()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(diff.out())
        .contains("~ configmaps " + ns + "/changed\n    ~ data.k: \"archived\" -> \"live\"")
        .contains("- configmaps " + ns + "/created")
        .contains("- secrets " + ns + "/db")
        .contains("+ configmaps " + ns + "/extra")
        .doesNotContain("configmaps " + ns + "/same");

    Map<String, String> before = resourceVersions(ns);
    Cli.Run plan =
        Cli.run(
            "plan",
            "--kubeconfig",
            kubeconfig,
            "-e",
            config.toString(),
            "--json",
            archive.toString());
    assertThat(plan.code()).as(plan.toString()).isEqualTo(ExitCodes.FINDINGS);
    JsonNode report = Archives.JSON.readTree(plan.out());
    assertThat(resourceVersions(ns)).as("the plan changed nothing").isEqualTo(before);
    assertThat(
            CLIENT
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("controller")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);

    Map<String, Set<String>> planned = new TreeMap<>();
    for (JsonNode object : report.path("objects")) {
      planned
          .computeIfAbsent(object.path("action").asText(), a -> new HashSet<>())
          .add(object.path("resource").asText() + " " + object.path("name").asText());
    }
    Set<String> prune = new HashSet<>();
    report.path("prune").forEach(p -> prune.add(p.asText()));
    assertThat(planned.get("create")).containsExactlyInAnyOrder("configmaps created", "secrets db");
    assertThat(planned.get("update")).containsExactly("configmaps changed");
    assertThat(planned.get("unchanged")).containsExactly("configmaps same");
    assertThat(planned.get("fail")).containsExactlyInAnyOrder("configmaps bad-label", "widgets w");
    assertThat(prune).containsExactly("configmaps " + ns + "/extra");
    assertThat(report.path("cannotTake").toString())
        .contains(
            "widgets.example.com "
                + ns
                + "/w: the cluster does not serve example.com/v1 widgets (missing API version or"
                + " CRD)\"")
        .contains("configmaps " + ns + "/bad-label: refused by the API server: 422");
    assertThat(report.path("scaledDown").get(0).asText())
        .startsWith("deployments.apps " + ns + "/controller (from 2 replicas");
    Cli.Run text =
        Cli.run("plan", "--kubeconfig", kubeconfig, "-e", config.toString(), archive.toString());
    assertThat(text.out())
        .contains(
            "Objects, in restore order:",
            "unchanged configmaps " + ns + "/same",
            "delete    configmaps " + ns + "/extra",
            "Summary: 2 create, 1 update, 1 unchanged, 0 skip, 1 prune, 2 cannot be restored");

    // The real restore, by the same engine with the same job, does exactly what was planned.
    PlanObserver observed = new PlanObserver();
    RestoreJob job =
        new RestoreJob(
            "bro-it-" + UUID.randomUUID(),
            () -> open(archive),
            cipher,
            true,
            0,
            true,
            RestoreJob.DEFAULT_WORKERS,
            OperatorProtectedObjects.of(
                new StorageDefaults("cattle-resources-system", "", Optional.empty(), true),
                null,
                null));
    RestoreResult result = new RestoreRunner(CLIENT).run(job, observed);
    assertThat(result.isWaiting()).isFalse();
    Map<String, Set<String>> done = new TreeMap<>();
    for (PlanObserver.ObjectEvent event : observed.objects()) {
      String action =
          switch (event.outcome()) {
            case CREATED -> "create";
            case UPDATED -> "update";
            case UNCHANGED -> "unchanged";
            case SKIPPED -> "skip";
            case FAILED -> "fail";
          };
      done.computeIfAbsent(action, a -> new HashSet<>())
          .add(event.object().path().resource() + " " + event.object().path().name());
    }
    assertThat(done).isEqualTo(planned);
    assertThat(
            observed.prunedPaths().stream()
                .map(p -> p.resource() + " " + p.namespace() + "/" + p.name())
                .collect(Collectors.toSet()))
        .containsExactly("configmaps " + ns + "/extra");
    assertThat(CLIENT.configMaps().inNamespace(ns).withName("created").get()).isNotNull();
    assertThat(CLIENT.configMaps().inNamespace(ns).withName("extra").get()).isNull();
    assertThat(CLIENT.configMaps().inNamespace(ns).withName("changed").get().getData())
        .containsEntry("k", "archived");
    // Now the live cluster is what the archive holds (of what it can take).
    Cli.Run after =
        Cli.run(
            "diff",
            "--kubeconfig",
            kubeconfig,
            "-e",
            config.toString(),
            "--live",
            archive.toString());
    assertThat(after.out()).contains("2 removed, 0 changed").doesNotContain("+ ");
  }

  @Test
  void planMarksWhatOnlyTheRestoreCanCreateFirstAndOwnerProblemsAndTheRestoreAgrees()
      throws IOException {
    String ns = RUN + "-new";
    String group = RUN + ".example.com";
    ObjectNode crd =
        (ObjectNode)
            Archives.JSON.readTree(
                """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"gadgets.%s"},
         "spec":{"group":"%s","scope":"Namespaced",
          "names":{"plural":"gadgets","singular":"gadget","kind":"Gadget","listKind":"GadgetList"},
          "versions":[{"name":"v1","served":true,"storage":true,
           "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
        """
                    .formatted(group, group));
    ObjectNode gadget =
        Archives.JSON.createObjectNode().put("apiVersion", group + "/v1").put("kind", "Gadget");
    gadget.putObject("metadata").put("name", "g").put("namespace", ns);
    ObjectNode namespace =
        Archives.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
    namespace.putObject("metadata").put("name", ns);
    ObjectNode orphan = Archives.configMap(ns, "orphan", "k", "v");
    ((ObjectNode) orphan.path("metadata"))
        .putArray("ownerReferences")
        .addObject()
        .put("apiVersion", "v1")
        .put("kind", "ConfigMap")
        .put("name", "nobody")
        .put("uid", "00000000-0000-0000-0000-000000000000");
    Path archive =
        new Archives()
            .filters(Archives.filtersFor(ns))
            .add("customresourcedefinitions", crd)
            .add("namespaces", namespace)
            .add("gadgets", gadget)
            .add("configmaps", Archives.configMap(ns, "settings", "k", "v"))
            .add("configmaps", orphan)
            .write(dir.resolve("new.tar.gz"), ObjectCipher.none());
    String kubeconfig = PLANE.kubeconfig().toString();

    Cli.Run plan = Cli.run("plan", "--kubeconfig", kubeconfig, "--json", archive.toString());

    assertThat(plan.code()).as(plan.toString()).isEqualTo(ExitCodes.FINDINGS);
    JsonNode report = Archives.JSON.readTree(plan.out());
    Map<String, String> notes = new TreeMap<>();
    Set<String> created = new HashSet<>();
    for (JsonNode object : report.path("objects")) {
      assertThat(object.path("action").asText()).as(object.toString()).isEqualTo("create");
      created.add(object.path("resource").asText() + " " + object.path("name").asText());
      notes.put(object.path("name").asText(), object.path("note").asText(""));
    }
    assertThat(created)
        .containsExactlyInAnyOrder(
            "customresourcedefinitions gadgets." + group,
            "namespaces " + ns,
            "gadgets g",
            "configmaps settings",
            "configmaps orphan");
    assertThat(notes.get("g"))
        .isEqualTo(
            "not checked by the API server: its CRD gadgets."
                + group
                + " is created by this restore");
    assertThat(notes.get("settings"))
        .isEqualTo(
            "not checked by the API server: its namespace " + ns + " is created by this restore");
    assertThat(notes.get("gadgets." + group)).isEmpty();
    assertThat(report.path("cannotTake")).isEmpty();
    assertThat(report.path("ownerReferenceProblems").toString())
        .contains("configmaps " + ns + "/orphan: ownerReference to")
        .contains("the owner is neither in the archive nor in the cluster");
    assertThat(CLIENT.namespaces().withName(ns).get()).as("the plan changed nothing").isNull();
    assertThat(
            CLIENT
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("gadgets." + group)
                .get())
        .isNull();

    PlanObserver observed = new PlanObserver();
    RestoreJob job =
        new RestoreJob(
            "bro-it-new-" + UUID.randomUUID(),
            () -> open(archive),
            ObjectCipher.none(),
            true,
            0,
            true,
            RestoreJob.DEFAULT_WORKERS,
            null);
    RestoreRunner runner = new RestoreRunner(CLIENT);
    RestoreResult result = runner.run(job, observed);
    for (int attempt = 0; result.isWaiting() && attempt < 30; attempt++) {
      sleep(result.retryAfter().toMillis()); // the CRD becoming Established, as the operator waits
      result = runner.run(job, observed);
    }
    assertThat(result.isWaiting()).isFalse();
    assertThat(
            observed.objects().stream()
                .map(
                    e ->
                        e.outcome()
                            + " "
                            + e.object().path().resource()
                            + " "
                            + e.object().path().name())
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(created.stream().map(c -> "CREATED " + c).toList());
    assertThat(result.warnings().toString())
        .contains("configmaps " + ns + "/orphan: ownerReference to");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void createConfigMap(ObjectNode object) {
    CLIENT
        .configMaps()
        .resource(
            Archives.JSON.convertValue(object, io.fabric8.kubernetes.api.model.ConfigMap.class))
        .create();
  }

  private static Map<String, String> resourceVersions(String ns) {
    Map<String, String> versions = new TreeMap<>();
    CLIENT
        .configMaps()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(
            c ->
                versions.put(
                    "cm/" + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
    CLIENT
        .secrets()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(
            s ->
                versions.put(
                    "secret/" + s.getMetadata().getName(), s.getMetadata().getResourceVersion()));
    CLIENT
        .apps()
        .deployments()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(
            d ->
                versions.put(
                    "deploy/" + d.getMetadata().getName(), d.getMetadata().getResourceVersion()));
    versions.put("ns", CLIENT.namespaces().withName(ns).get().getMetadata().getResourceVersion());
    return versions;
  }

  private static byte[] archive(String ns, ObjectCipher cipher) throws IOException {
    Path file = Files.createTempFile(dir, "archive", ".tar.gz");
    new Archives()
        .filters(Archives.filtersFor(ns))
        .add("secrets", Archives.secret(ns, "db", "password", "c2VjcmV0"))
        .add("configmaps", Archives.configMap(ns, "a", "k", "v"))
        .add("configmaps", Archives.configMap(ns, "b", "k", "v"))
        .write(file, cipher);
    return Files.readAllBytes(file);
  }

  private static void upload(String bucket, String folder, String name, byte[] bytes) {
    S3Location location =
        S3Location.builder(bucket)
            .endpoint(s3.endpoint())
            .folder(folder)
            .useHttps(false)
            .credentials(new S3Credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))
            .build();
    try (S3Store store = new S3Store(location);
        Upload upload = store.openUpload(name)) {
      OutputStream out = upload.stream();
      out.write(bytes);
      upload.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] args(String command, List<String> location, String... more) {
    List<String> all = new java.util.ArrayList<>();
    all.add(command);
    all.addAll(location);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @SuppressWarnings("unused")
  private static ObjectPath path(String resource, String ns, String name) {
    return new ObjectPath("", "v1", resource, ns, name);
  }
}
