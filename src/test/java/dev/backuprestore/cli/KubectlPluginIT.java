package dev.backuprestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.testing.LocalControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped launcher as a user runs it: {@code bin/kubectl-bro} on PATH, found by the real
 * kubectl as the plugin {@code kubectl bro}, running the packaged jar through the operator's Main
 * ({@code java -jar backup-restore-operator.jar bro ...}); exit codes as documented.
 */
class KubectlPluginIT {
  private static final Path JAR = Path.of("target/backup-restore-operator.jar");

  private record Run(int code, String output) {}

  @Test
  void kubectlRunsThePluginWithItsExitCodes() throws Exception {
    assertThat(JAR).as("the packaged jar (run at the verify phase)").exists();
    String kubectl = LocalControlPlane.shared().kubectl().toString();
    String archive = Archives.RANCHER_ENCRYPTED.toAbsolutePath().toString();
    String config = Archives.RANCHER_CONFIG.toAbsolutePath().toString();

    Run help = run(kubectl, "bro", "--help");
    assertThat(help.code()).as(help.output()).isZero();
    assertThat(help.output()).contains("Usage: kubectl-bro", "verify", "plan");

    Run verified = run(kubectl, "bro", "verify", "-e", config, archive);
    assertThat(verified.code()).as(verified.output()).isZero();
    assertThat(verified.output()).contains("OK rancher-encrypted.tar.gz");

    Run noKey = run(kubectl, "bro", "verify", archive);
    assertThat(noKey.code()).as(noKey.output()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(run(kubectl, "bro", "verify", "--bogus").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run(kubectl, "bro", "verify", "/no/such/archive.tar.gz").code())
        .isEqualTo(ExitCodes.ERROR);
    assertThat(run(kubectl, "bro", "--version").output()).startsWith("kubectl-bro ");
  }

  private static Run run(String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("kubectl-bro", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(List.of(command)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Path bin = Path.of("bin").toAbsolutePath();
    Path java = Path.of(System.getProperty("java.home"), "bin");
    builder.environment().put("PATH", bin + ":" + java + ":" + System.getenv("PATH"));
    builder.environment().put("BRO_JAR", JAR.toAbsolutePath().toString());
    builder.environment().put("BRO_JAVA_OPTS", "-Xmx128m");
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
