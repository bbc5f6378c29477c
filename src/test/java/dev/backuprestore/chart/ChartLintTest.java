package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint --strict passes for both charts, with the value sets users are expected to use. */
class ChartLintTest {

  static Stream<Arguments> chartsAndValues() {
    return Stream.of(
        Arguments.of(Helm.CRD_CHART, ""),
        Arguments.of(Helm.OPERATOR_CHART, ""),
        Arguments.of(Helm.OPERATOR_CHART, "persistence: {enabled: true}"),
        Arguments.of(
            Helm.OPERATOR_CHART,
            "s3: {enabled: true, bucketName: b, endpoint: minio.local:9000, credentialSecretName: c,"
                + " credentialSecretNamespace: d, clientConfig: {bucketLookup: path}}"),
        Arguments.of(
            Helm.OPERATOR_CHART,
            "monitoring: {metrics: {enabled: true}, serviceMonitor: {enabled: true},"
                + " prometheusRules: {defaultAlert: {enabled: true}}}"),
        Arguments.of(Helm.OPERATOR_CHART, "rbac: {clusterAdmin: true}"),
        Arguments.of(Helm.OPERATOR_CHART, "rbac: {readOnly: true}"),
        Arguments.of(
            Helm.OPERATOR_CHART,
            "resourceSets: {rancher: {enabled: true}}\n"
                + "optionalResources: {kubewarden: {enabled: true}}"));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("chartsAndValues")
  void lintIsClean(Path chart, String values) {
    Helm.Result result = Helm.located().lint(chart, values);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("1 chart(s) linted, 0 chart(s) failed")
        .doesNotContain("[WARNING]")
        .doesNotContain("[ERROR]");
  }
}
