package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GitHub workflows, read as YAML: CI runs the README's test command; a tag releases. */
class WorkflowsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path WORKFLOWS = Path.of(".github/workflows");

  private static JsonNode workflow(String file) throws IOException {
    return YAML.readTree(WORKFLOWS.resolve(file).toFile());
  }

  /** The "on" key; YAML 1.1 readers may turn the bare word into a boolean key "true". */
  private static JsonNode triggers(JsonNode workflow) {
    return workflow.has("on") ? workflow.get("on") : workflow.path("true");
  }

  private static List<String> uses(JsonNode job) {
    List<String> uses = new ArrayList<>();
    job.path("steps").forEach(step -> uses.add(step.path("uses").asText("")));
    return uses;
  }

  private static JsonNode stepUsing(JsonNode job, String action) {
    for (JsonNode step : job.path("steps")) {
      if (step.path("uses").asText("").startsWith(action + "@")) {
        return step;
      }
    }
    throw new AssertionError("no step uses " + action);
  }

  private static String runs(JsonNode job) {
    StringBuilder all = new StringBuilder();
    job.path("steps").forEach(step -> all.append(step.path("run").asText("")).append('\n'));
    return all.toString();
  }

  @Test
  void ciRunsTheTestScriptWithJdk17AndGoOnUbuntu() throws IOException {
    JsonNode ci = workflow("ci.yml");
    JsonNode test = ci.path("jobs").path("test");

    assertThat(triggers(ci).has("push")).isTrue();
    assertThat(triggers(ci).has("pull_request")).isTrue();
    assertThat(test.path("runs-on").asText()).startsWith("ubuntu");
    assertThat(uses(test).get(0)).startsWith("actions/checkout@");
    assertThat(stepUsing(test, "actions/setup-java").path("with").path("java-version").asText())
        .isEqualTo("17");
    assertThat(stepUsing(test, "actions/setup-go").path("with").path("go-version").asText())
        .startsWith("1.2");
    List<String> commands = new ArrayList<>();
    test.path("steps").forEach(step -> commands.add(step.path("run").asText("")));
    assertThat(commands).contains("scripts/test.sh");
    // CI has no time for anything slower than the machine limit of 90 minutes.
    assertThat(test.path("timeout-minutes").asInt()).isBetween(1, 90);
  }

  @Test
  void releaseOnATagPushesTheImageAndPackagesBothCharts() throws IOException {
    JsonNode release = workflow("release.yml");
    JsonNode jobs = release.path("jobs");

    assertThat(triggers(release).path("push").path("tags").toString()).contains("v*");
    JsonNode build = stepUsing(jobs.path("image"), "docker/build-push-action");
    assertThat(build.path("with").path("push").asBoolean()).isTrue();
    assertThat(build.path("with").path("context").asText()).isEqualTo(".");
    assertThat(build.path("with").path("build-args").asText()).contains("VERSION=");
    assertThat(uses(jobs.path("image"))).anyMatch(u -> u.startsWith("docker/login-action@"));

    String charts = runs(jobs.path("charts"));
    assertThat(charts)
        .contains("\"$HELM\" package")
        .contains("charts/backup-restore-operator-crd charts/backup-restore-operator")
        .contains("--version \"$VERSION\" --app-version \"$VERSION\"")
        .contains("scripts/helm.sh")
        .contains("-Dtest=CommittedCrdsTest");
    assertThat(release.path("permissions").path("packages").asText()).isEqualTo("write");
  }
}
