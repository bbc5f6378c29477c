package dev.backuprestore.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The YAML stubs of Rancher's collector unit tests ({@code pkg/resourcesets/testdata/*.yaml} of
 * rancher/backup-restore-operator at commit e90504c, Apache-2.0, Copyright Rancher Labs / SUSE),
 * copied verbatim so that our filters are checked against the same vectors.
 */
final class RancherCollectorTestData {
  private static final Map<String, String> FILES =
      Map.of(
          "hamburgerStand01",
          """
          ---
          apiVersion: v1
          kind: Food
          metadata:
            name: hotdog
            namespace: hotdog-stand
          ---
          apiVersion: v1
          kind: Food
          metadata:
            name: hotdog-with-cheese
            namespace: hotdog-stand
          ---
          apiVersion: v1
          kind: Food
          metadata:
            name: hotdog
            namespace: hotdog-cart
          ---
          apiVersion: v1
          kind: Food
          metadata:
            name: popsicle
            namespace: hotdog-cart
          ---
          apiVersion: v1
          kind: Food
          metadata:
            name: hamburger-with-cheese
            namespace: hamburger-hut
          ---
          apiVersion: v1
          kind: Food
          metadata:
            name: cheeseburger
            namespace: hamburger-hut
          ---
          apiVersion: v1
          kind: Food
          metadata:
            name: hamburger
            namespace: hamburger-hut
          ---
          apiVersion: v1
          kind: Food
          metadata:
            name: raw-potato
            namespace: hotdog-cart
          """,
          "pets01",
          """
          ---
          apiVersion: v1
          kind: Cat
          metadata:
            name: oscar
            namespace: dans-house
          ---
          apiVersion: v1
          kind: Cat
          metadata:
            name: dash
            namespace: dans-house
          ---
          apiVersion: v1
          kind: Dog
          metadata:
            name: millie
            namespace: kevins-house
          """,
          "pets02DifferentKinds",
          """
          ---
          apiVersion: v1
          kind: Cat
          metadata:
            name: boris
            namespace: pets
          ---
          apiVersion: v1
          kind: Cat
          metadata:
            name: natasha
            namespace: pets
          ---
          apiVersion: v1
          kind: Dog
          metadata:
            name: skipper
            namespace: pets
          ---
          apiVersion: v1
          kind: Catamount
          metadata:
            name: sam
            namespace: pets
          ---
          apiVersion: v1
          kind: Catamount
          metadata:
            name: megan
            namespace: pets
          ---
          apiVersion: v1
          kind: Catamount
          metadata:
            name: lily
            namespace: pets
          """,
          "service01",
          """
          ---
          apiVersion: v1
          kind: Service
          metadata:
            annotations:
              meta.helm.sh/release-name: fleet
              meta.helm.sh/release-namespace: cattle-fleet-system
            labels:
              app.kubernetes.io/managed-by: Helm
            name: gitjob
            namespace: cattle-fleet-system
          spec:
          ---
          apiVersion: v1
          kind: Service
          metadata:
            annotations:
              meta.helm.sh/release-name: fleet
              meta.helm.sh/release-namespace: cattle-fleet-system
            labels:
              app.kubernetes.io/managed-by: Helm
            name: gitjob-test
            namespace: cattle-fleet-system
          spec:
          ---
          apiVersion: v1
          kind: Service
          metadata:
            annotations:
              meta.helm.sh/release-name: rancher
              meta.helm.sh/release-namespace: cattle-system
            labels:
              app.kubernetes.io/managed-by: Helm
            name: rancher
            namespace: cattle-system
          spec:
            type: LoadBalancer
          ---
          apiVersion: v1
          kind: Service
          metadata:
            name: kube-dns
            namespace: kube-system
          spec:
          """,
          "serviceAccounts01",
          """
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata:
            name: default
            namespace: c-m-xxxxxxxx
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata:
            name: default
            namespace: cattle-fleet-clusters-system
          ---
          apiVersion: v1
          kind: ServiceAccount
          metadata:
            labels:
              app.kubernetes.io/managed-by: Helm
            name: fleet-agent
            namespace: cattle-fleet-local-system
          """);

  private RancherCollectorTestData() {}

  /** The documents of {@code <stub>.yaml}, e.g. {@code load("pets01")}. */
  static List<ObjectNode> load(String stub) {
    String yaml = FILES.get(stub);
    if (yaml == null) {
      throw new IllegalArgumentException("no test stub " + stub);
    }
    List<ObjectNode> objects = new ArrayList<>();
    try (var documents = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        if (documents.next() instanceof ObjectNode object) {
          objects.add(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }
}
