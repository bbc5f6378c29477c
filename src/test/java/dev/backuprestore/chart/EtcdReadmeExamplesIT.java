package dev.backuprestore.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.testing.LocalControlPlane;
import dev.backuprestore.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every EtcdSnapshot in the README's etcd section is accepted by the real apiserver's CRD schema.
 */
class EtcdReadmeExamplesIT {
  @Test
  void readmeExamplesValidateAgainstTheCrd() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String section =
        readme.substring(readme.indexOf("## etcd snapshots"), readme.indexOf("## Differences"));
    Matcher blocks = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(section);
    List<String> documents = new ArrayList<>();
    while (blocks.find()) {
      for (String doc : blocks.group(1).split("(?m)^---$")) {
        if (doc.contains("kind: EtcdSnapshot")) {
          documents.add(doc);
        }
      }
    }
    assertThat(documents).hasSizeGreaterThanOrEqualTo(4);
    KubernetesClient client = LocalControlPlane.shared().client();
    OperatorHarness.installCrds(client);
    for (String doc : documents) {
      EtcdSnapshot snapshot =
          client
              .resources(EtcdSnapshot.class)
              .load(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)))
              .item();
      EtcdSnapshot accepted = client.resource(snapshot).dryRun().create();
      assertThat(accepted.getSpec().getEtcd().getDistribution()).isIn("kubeadm", "rke2");
    }
  }
}
