package dev.backuprestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backuprestore.archive.BackupFileName;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.restore.ArchiveIndexer;
import dev.backuprestore.restore.BadArchiveCorpus;
import dev.backuprestore.restore.RestorePlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command of the CLI on real archives (ours and Rancher-written), offline. */
class BroCliTest {
  private static final String CLUSTER = "0b6f0b5c-2d3e-4f5a-9b8c-7d6e5f4a3b2c";
  private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  private static final String OTHER_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

  @TempDir Path dir;

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Cli.Run run = Cli.run("--help");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("ls", "inspect", "cat", "verify", "diff", "plan", "decrypt", "reencrypt")
        .contains("generate-completion")
        .contains("Exit codes:", "2   bad command line");
    for (String command :
        List.of("ls", "inspect", "cat", "verify", "diff", "plan", "decrypt", "reencrypt")) {
      Cli.Run help = Cli.run(command, "--help");
      assertThat(help.code()).as(command).isZero();
      assertThat(help.out()).as(command).startsWith("Usage: kubectl-bro " + command);
    }
  }

  @Test
  void usageErrorsExitWith2AndFailuresWith3() {
    assertThat(Cli.run("verify", "--no-such-option").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run("no-such-command").code()).isEqualTo(ExitCodes.USAGE);
    Cli.Run missing = Cli.run("verify", dir.resolve("absent.tar.gz").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(missing.err()).contains("archive " + dir.resolve("absent.tar.gz") + " not found");
  }

  @Test
  void generatesACompletionScript() {
    Cli.Run run = Cli.run("generate-completion");

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("complete -F", "kubectl-bro");
  }

  @Test
  void inspectCountsTypesNamespacesAndKeysOfARancherArchiveWithoutAKey() throws IOException {
    Cli.Run run = Cli.run("inspect", "--json", Archives.RANCHER_ENCRYPTED.toString());

    assertThat(run.code()).as(run.toString()).isZero();
    JsonNode report = Archives.JSON.readTree(run.out());
    assertThat(report.path("objects").asInt()).isEqualTo(4);
    assertThat(report.path("encryptedObjects").asInt()).isEqualTo(1);
    assertThat(report.path("types").path("secrets/v1").asInt()).isEqualTo(1);
    assertThat(report.path("namespaces").path("cattle-system").asInt()).isEqualTo(3);
    assertThat(report.path("encryption").get(0).path("provider").asText()).isEqualTo("aesgcm");
    assertThat(report.path("encryption").get(0).path("key").asText()).isEqualTo("key1");
    assertThat(report.path("resourceSet").path("metadata").path("name").asText())
        .isEqualTo("rancher-resource-set");

    Cli.Run text = Cli.run("inspect", Archives.RANCHER_ENCRYPTED.toString());
    assertThat(text.out()).contains("Objects:    4 (1 encrypted)", "aesgcm/key1: 1");
  }

  @Test
  void catDecryptsOneObjectOrAGlobAsYamlOrJson() throws IOException {
    String archive = Archives.RANCHER_ENCRYPTED.toString();
    String config = Archives.RANCHER_CONFIG.toString();

    Cli.Run json = Cli.run("cat", "-e", config, "-o", "json", archive, "secrets/cattle-system/foo");
    assertThat(json.code()).as(json.toString()).isZero();
    assertThat(Archives.JSON.readTree(json.out()).path("data").path("k").asText())
        .isEqualTo("dg==");

    Cli.Run yaml = Cli.run("cat", "-e", config, archive, "*/cattle-system/*");
    assertThat(yaml.code()).isZero();
    assertThat(yaml.out())
        .contains("kind: Secret", "kind: ConfigMap", "kind: ServiceAccount", "---");

    Cli.Run entryPath = Cli.run("cat", archive, "namespaces.#v1/cattle-system.json");
    assertThat(entryPath.out()).contains("kind: Namespace", "team: a");

    Cli.Run noKey = Cli.run("cat", archive, "secrets/cattle-system/foo");
    assertThat(noKey.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(noKey.err()).contains("provide same encryption config as used for backup");

    assertThat(Cli.run("cat", archive, "deployments.apps/*/*").code())
        .isEqualTo(ExitCodes.FINDINGS);
  }

  @Test
  void verifyPassesRancherAndOurArchivesOnlyWithTheRightKey() {
    Cli.Run rancher =
        Cli.run(
            "verify",
            "-e",
            Archives.RANCHER_CONFIG.toString(),
            Archives.RANCHER_ENCRYPTED.toString());
    assertThat(rancher.code()).as(rancher.toString()).isZero();
    assertThat(rancher.out()).startsWith("OK rancher-encrypted.tar.gz: 4 objects (1 encrypted");

    Path config = Archives.config(dir, "aescbc", "ours", KEY);
    Path ours = ours(config, "ours.tar.gz");
    assertThat(Cli.run("verify", "-e", config.toString(), ours.toString()).code()).isZero();

    Path wrong = Archives.config(dir, "aescbc", "other", OTHER_KEY);
    Cli.Run wrongKey = Cli.run("verify", "-e", wrong.toString(), ours.toString());
    assertThat(wrongKey.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(wrongKey.out())
        .contains("FAILED ours.tar.gz: 2 problems")
        .contains("archive entry 'secrets.#v1/app/db.json'")
        .contains("archive entry 'secrets.#v1/app/tls.json'");
  }

  @Test
  void verifyRejectsEveryArchiveOfTheBadArchiveCorpusWithItsOwnMessage() throws IOException {
    Path sealing = Files.write(dir.resolve("sealing.yaml"), BadArchiveCorpus.SEALING_CONFIG);
    for (BadArchiveCorpus.BadArchive bad : BadArchiveCorpus.all("bad-ns")) {
      Path archive = Files.write(dir.resolve("bad.tar.gz"), bad.archive());
      List<String> args = new java.util.ArrayList<>(List.of("verify"));
      if (bad.config() == null) {
        args.addAll(List.of("-e", sealing.toString()));
      } else if (bad.config() != BadArchiveCorpus.NO_CONFIG) {
        args.addAll(List.of("-e", Files.write(dir.resolve("c.yaml"), bad.config()).toString()));
      }
      args.add(archive.toString());

      Cli.Run run = Cli.run(args.toArray(String[]::new));

      assertThat(run.code()).as(bad.description() + "\n" + run).isEqualTo(ExitCodes.FINDINGS);
      assertThat(run.out()).as(bad.description()).startsWith("FAILED").contains(bad.message());
    }
  }

  @Test
  void lsListsTheArchivesOfADirectoryNewestFirst() throws IOException {
    Path config = Archives.config(dir, "aescbc", "ours", KEY);
    Path store = Files.createDirectories(dir.resolve("store"));
    ZonedDateTime time = ZonedDateTime.of(2026, 11, 30, 1, 0, 0, 0, ZoneOffset.UTC);
    Path older = ours(config, BackupFileName.format("nightly", CLUSTER, time, true));
    Path newer = ours(config, BackupFileName.format("nightly", CLUSTER, time.plusDays(1), true));
    Path plain =
        new Archives()
            .add("configmaps", Archives.configMap("a", "b", "k", "v"))
            .write(
                store.resolve(BackupFileName.format("manual", CLUSTER, time, false)),
                ObjectCipher.none());
    Files.move(older, store.resolve(older.getFileName()));
    Files.move(newer, store.resolve(newer.getFileName()));
    Files.setLastModifiedTime(
        store.resolve(older.getFileName()), FileTime.from(Instant.parse("2026-11-30T01:00:00Z")));
    Files.setLastModifiedTime(
        store.resolve(newer.getFileName()), FileTime.from(Instant.parse("2026-12-01T01:00:00Z")));
    Files.setLastModifiedTime(plain, FileTime.from(Instant.parse("2026-11-29T01:00:00Z")));

    Cli.Run run = Cli.run("ls", "--dir", store.toString());

    assertThat(run.code()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("NAME")
        .contains("SIZE", "TIME", "BACKUP", "CLUSTER", "ENCRYPTED");
    assertThat(lines.get(1))
        .startsWith(newer.getFileName().toString())
        .contains("nightly", CLUSTER)
        .endsWith("yes");
    assertThat(lines.get(2)).startsWith(older.getFileName().toString());
    assertThat(lines.get(3))
        .startsWith(plain.getFileName().toString())
        .contains("manual")
        .endsWith("no");
  }

  @Test
  void diffOfTwoArchivesShowsAddedRemovedAndChangedFields() {
    Path first =
        new Archives()
            .add("configmaps", Archives.configMap("app", "same", "k", "v"))
            .add("configmaps", Archives.configMap("app", "changed", "k", "old"))
            .add("configmaps", Archives.configMap("app", "gone", "k", "v"))
            .add("secrets", Archives.secret("app", "db", "password", "b2xk"))
            .write(dir.resolve("first.tar.gz"), ObjectCipher.none());
    Path config = Archives.config(dir, "aescbc", "ours", KEY);
    Path second =
        new Archives()
            .add("configmaps", Archives.configMap("app", "same", "k", "v"))
            .add("configmaps", Archives.configMap("app", "changed", "k", "new"))
            .add("configmaps", Archives.configMap("app", "added", "k", "v"))
            .add("secrets", Archives.secret("app", "db", "password", "bmV3"))
            .write(dir.resolve("second.tar.gz"), Archives.cipher(config));

    Cli.Run run = Cli.run("diff", "-e", config.toString(), first.toString(), second.toString());

    assertThat(run.code()).as(run.toString()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(run.out())
        .contains("+ configmaps app/added")
        .contains("- configmaps app/gone")
        .contains("~ configmaps app/changed\n    ~ data.k: \"old\" -> \"new\"")
        .contains("~ secrets app/db\n    ~ data.password: (redacted) -> (redacted)")
        .contains("1 added, 1 removed, 2 changed, 1 unchanged")
        .doesNotContain("configmaps app/same");
    assertThat(
            Cli.run(
                    "diff",
                    "-e",
                    config.toString(),
                    "--show-secrets",
                    first.toString(),
                    second.toString())
                .out())
        .contains("~ data.password: \"b2xk\" -> \"bmV3\"");
    assertThat(
            Cli.run("diff", "-e", config.toString(), second.toString(), second.toString()).code())
        .isZero();
  }

  @Test
  void decryptWritesAPlaintextCopyWithALoudWarning() throws IOException {
    Path plain = dir.resolve("plain.tar.gz");

    Cli.Run run =
        Cli.run(
            "decrypt",
            "-e",
            Archives.RANCHER_CONFIG.toString(),
            Archives.RANCHER_ENCRYPTED.toString(),
            "-O",
            plain.toString());

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.err()).contains("WARNING:", "PLAINTEXT", "Secrets included");
    assertThat(Files.getPosixFilePermissions(plain))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Cli.run("verify", plain.toString()).code()).isZero();
    assertThat(Cli.run("inspect", plain.toString()).out()).contains("Objects:    4 (0 encrypted)");
    assertThat(index(plain, ObjectCipher.none()).objects()).hasSize(4);
    // An existing file is not replaced without --force.
    assertThat(
            Cli.run(
                    "decrypt",
                    "-e",
                    Archives.RANCHER_CONFIG.toString(),
                    Archives.RANCHER_ENCRYPTED.toString(),
                    "-O",
                    plain.toString())
                .code())
        .isEqualTo(ExitCodes.ERROR);
  }

  @Test
  void reencryptRotatesTheKeyAndTheRestoreEngineReadsTheResult() throws IOException {
    Path newConfig = Archives.config(dir, "aescbc", "rotated", OTHER_KEY);
    Path rotated = dir.resolve("rotated.tar.gz.enc");

    Cli.Run run =
        Cli.run(
            "reencrypt",
            "-e",
            Archives.RANCHER_CONFIG.toString(),
            "--to-encryption-config",
            newConfig.toString(),
            Archives.RANCHER_ENCRYPTED.toString(),
            "-O",
            rotated.toString());

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(Cli.run("verify", "-e", newConfig.toString(), rotated.toString()).code()).isZero();
    assertThat(
            Cli.run("verify", "-e", Archives.RANCHER_CONFIG.toString(), rotated.toString()).code())
        .isEqualTo(ExitCodes.FINDINGS);
    assertThat(Cli.run("inspect", rotated.toString()).out()).contains("aescbc/rotated: 1");
    RestorePlan plan = index(rotated, Archives.cipher(newConfig));
    assertThat(plan.objects()).hasSize(4);
    assertThat(plan.filters().resourceSelectors()).hasSize(2);
  }

  /** Our archive: two Secrets sealed with {@code config}, a ConfigMap in plain JSON. */
  private Path ours(Path config, String name) {
    return new Archives()
        .filters(Archives.filtersFor("app"))
        .add("secrets", Archives.secret("app", "db", "password", "c2VjcmV0"))
        .add("secrets", Archives.secret("app", "tls", "tls.key", "a2V5"))
        .add("configmaps", Archives.configMap("app", "settings", "mode", "blue"))
        .write(dir.resolve(name), Archives.cipher(config));
  }

  private static RestorePlan index(Path archive, ObjectCipher cipher) throws IOException {
    try (InputStream in = Files.newInputStream(archive)) {
      return new ArchiveIndexer().index(in, cipher);
    }
  }
}
