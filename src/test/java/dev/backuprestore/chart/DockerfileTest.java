package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, read instruction by instruction: a JDK 17 build stage that runs the Maven
 * wrapper, and a JRE 17 runtime that runs the jar as uid/gid 1000, as Rancher's image does, without
 * its /encryption directory (docs/rancher-compat.md#image). The default image copies the jar from
 * the build stage; the target "prebuilt" copies the one built on the host onto the same runtime
 * stage (the real-node tier builds that one and runs it, see src/test/java/dev/backuprestore/e2e).
 */
class DockerfileTest {
  private static final Path DOCKERFILE = Path.of("Dockerfile");

  /** One instruction: its keyword in upper case and the rest of the (joined) line. */
  record Instruction(String keyword, String arguments) {}

  /** Instructions grouped by stage (the instructions before the first FROM are ARGs). */
  record Stage(String from, List<Instruction> instructions) {
    List<String> all(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::arguments)
          .toList();
    }

    String last(String keyword) {
      List<String> all = all(keyword);
      assertThat(all).as("%s in stage %s", keyword, from).isNotEmpty();
      return all.get(all.size() - 1);
    }
  }

  static List<Instruction> parse(String dockerfile) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String joined = current.toString().trim();
      current.setLength(0);
      if (joined.isEmpty()) {
        continue;
      }
      int space = joined.indexOf(' ');
      instructions.add(
          new Instruction(
              joined.substring(0, space).toUpperCase(), joined.substring(space + 1).trim()));
    }
    return instructions;
  }

  static List<Stage> stages(List<Instruction> instructions) {
    List<Stage> stages = new ArrayList<>();
    for (Instruction instruction : instructions) {
      if (instruction.keyword().equals("FROM")) {
        stages.add(new Stage(instruction.arguments(), new ArrayList<>()));
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(instruction);
      }
    }
    return stages;
  }

  private static Stage stage(List<Stage> stages, String from) {
    return stages.stream()
        .filter(stage -> stage.from().equals(from))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage FROM " + from));
  }

  private static String globalArg(List<Instruction> instructions, String name) {
    return instructions.stream()
        .takeWhile(i -> !i.keyword().equals("FROM"))
        .filter(i -> i.keyword().equals("ARG") && i.arguments().startsWith(name + "="))
        .map(i -> i.arguments().substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ARG " + name));
  }

  @Test
  void buildStageRunsTheMavenWrapperOnAJdk17() throws IOException {
    List<Instruction> instructions = parse(Files.readString(DOCKERFILE));
    Stage build = stages(instructions).get(0);

    assertThat(build.from()).isEqualTo("${BUILD_IMAGE} AS build");
    assertThat(globalArg(instructions, "BUILD_IMAGE")).matches("eclipse-temurin:17-jdk.*");
    assertThat(build.last("RUN")).contains("./mvnw -B -ntp -DskipTests package");
  }

  @Test
  void runtimeIsAJre17RunningTheOperatorJarAsUser1000() throws IOException {
    List<Instruction> instructions = parse(Files.readString(DOCKERFILE));
    List<Stage> stages = stages(instructions);
    Stage runtime = stage(stages, "${RUNTIME_IMAGE} AS runtime");
    Stage image = stages.get(stages.size() - 1);

    assertThat(stages).hasSize(4);
    assertThat(image.from()).isEqualTo("runtime");
    assertThat(globalArg(instructions, "RUNTIME_IMAGE")).matches("eclipse-temurin:17-jre.*");
    assertThat(runtime.last("USER")).isEqualTo("1000:1000");
    List<String> entrypoint =
        new ObjectMapper().readValue(runtime.last("ENTRYPOINT"), new TypeReference<>() {});
    assertThat(entrypoint).startsWith("java").endsWith("-jar", "/app/backup-restore-operator.jar");
    // The collector bench/restore-bench.sh measures with, whatever the memory limit.
    assertThat(entrypoint).contains("-XX:+UseSerialGC");
    assertThat(image.all("COPY"))
        .containsExactly(
            "--from=build /src/target/lib/ /app/lib/",
            "--from=build /src/target/backup-restore-operator.jar /app/backup-restore-operator.jar");
    // Shared by the default image and the "prebuilt" target.
    assertThat(runtime.all("COPY")).contains("--chmod=0755 bin/kubectl-bro /app/bin/kubectl-bro");
    assertThat(runtime.all("EXPOSE")).containsExactly("8080");
    assertThat(runtime.all("LABEL"))
        .anySatisfy(label -> assertThat(label).contains("org.opencontainers.image.version="));
  }

  @Test
  void prebuiltTargetPutsTheHostsJarOnTheSameRuntime() throws IOException {
    List<Stage> stages = stages(parse(Files.readString(DOCKERFILE)));
    Stage prebuilt = stage(stages, "runtime AS prebuilt");

    assertThat(prebuilt.instructions())
        .containsExactly(
            new Instruction("COPY", "target/lib/ /app/lib/"),
            new Instruction(
                "COPY", "target/backup-restore-operator.jar /app/backup-restore-operator.jar"));
  }

  @Test
  void user1000AndAWritableEncryptionDirectoryAreCreatedBeforeSwitchingUser() throws IOException {
    Stage runtime =
        stage(stages(parse(Files.readString(DOCKERFILE))), "${RUNTIME_IMAGE} AS runtime");
    List<Instruction> steps = runtime.instructions();
    int user = steps.indexOf(new Instruction("USER", "1000:1000"));
    String setup =
        String.join(
            " && ",
            steps.subList(0, user).stream()
                .filter(i -> i.keyword().equals("RUN"))
                .map(Instruction::arguments)
                .toList());

    assertThat(setup)
        .contains("groupadd --gid 1000 bro")
        .contains("useradd --uid 1000 --gid 1000")
        // Keys stay in memory, so there is no /encryption (Rancher's ENCRYPTION_PROVIDER_LOCATION).
        .doesNotContain("/encryption");
  }

  @Test
  void etcdutlIsCopiedPrebuiltFromTheBuildContextForTheTargetArchitecture() throws IOException {
    List<Stage> stages = stages(parse(Files.readString(DOCKERFILE)));
    // The shared runtime stage (the prebuilt and the default targets both build on it).
    Stage runtime =
        stages.stream().filter(stage -> stage.from().endsWith(" AS runtime")).findFirst().get();

    assertThat(runtime.all("ARG")).contains("TARGETARCH");
    assertThat(runtime.all("COPY"))
        .contains("--chmod=0755 target/image/linux-${TARGETARCH}/etcdutl /usr/local/bin/etcdutl");
    assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("!target/image/");
    assertThat(Files.readString(Path.of("scripts/etcdutl-for-image.sh")))
        .contains("target/image/linux-$arch")
        .contains("test-env/etcdutl");
  }

  @Test
  void theJarTheImageRunsIsThePomsRunnableJar() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));

    assertThat(pom)
        .contains("<finalName>backup-restore-operator</finalName>")
        .contains("<mainClass>dev.backuprestore.operator.Main</mainClass>")
        .contains("<classpathPrefix>lib/</classpathPrefix>");
  }

  @Test
  void buildContextHoldsOnlyTheMavenProject() throws IOException {
    List<String> rules = Files.readAllLines(Path.of(".dockerignore"));

    assertThat(rules).contains("*", "!mvnw", "!.mvn/", "!pom.xml", "!src/");
    // Of target/, only what the "prebuilt" target copies.
    assertThat(rules).contains("!target/backup-restore-operator.jar", "!target/lib/");
    assertThat(rules).doesNotContain("!target/", "!.git/");
  }
}
