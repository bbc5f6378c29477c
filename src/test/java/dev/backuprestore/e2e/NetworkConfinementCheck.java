package dev.backuprestore.e2e;

import static dev.backuprestore.e2e.RealNode.log;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Proves the node's network confinement before the tier starts its first Pod: {@code e2e-node.sh
 * check} fails without the guard rule, and a probe Pod reaches the node's apiserver and the {@code
 * kubernetes} Service but neither the machine's gateway nor its DNS server, its packets counted by
 * the guard. {@link RealNode} runs it once per test run, right after the node is up.
 */
final class NetworkConfinementCheck {
  private final RealNode node;

  NetworkConfinementCheck(RealNode node) {
    this.node = node;
  }

  void verify() {
    node.checkNetworkConfinement();
    refusesToGoOnWithoutTheGuard();
    List<String> outside = outsideAddresses();
    long droppedBefore = node.packetsDroppedByGuard();
    String targets =
        Stream.concat(
                outside.stream().map(ip -> ip + "/53"),
                Stream.of(node.nodeIp() + "/6443", "10.96.0.1/443"))
            .collect(Collectors.joining(" "));
    node.apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: network-probe, namespace: default}
        spec:
          restartPolicy: Never
          containers:
          - name: probe
            image: %s
            imagePullPolicy: Never
            command: ["bash", "-c", "cat /etc/resolv.conf; for t in %s; do if timeout 3 bash -c \\"exec 3<>/dev/tcp/${t%%/*}/${t#*/}\\" 2>/dev/null; then echo \\"OPEN $t\\"; else echo \\"CLOSED $t\\"; fi; done"]
        """
            .formatted(node.jreImage(), targets));
    node.kubectl(
        "wait",
        "-n",
        "default",
        "--for=jsonpath={.status.phase}=Succeeded",
        "pod/network-probe",
        "--timeout=180s");
    String output = node.kubectl("logs", "-n", "default", "network-probe");
    log("network probe pod:\n" + output.strip());
    node.kubectl("delete", "-n", "default", "pod/network-probe", "--grace-period=1");

    assertThat(output.lines())
        .as("the pod's resolv.conf names no DNS server")
        .noneMatch(line -> line.trim().startsWith("nameserver"));
    assertThat(output)
        .as("the node's apiserver and the kubernetes Service are reachable from a pod")
        .contains("OPEN " + node.nodeIp() + "/6443", "OPEN 10.96.0.1/443");
    for (String ip : outside) {
      assertThat(output)
          .as("%s (outside the machine) from a pod", ip)
          .contains("CLOSED " + ip + "/53");
    }
    assertThat(node.packetsDroppedByGuard())
        .as("the guard dropped the probe's packets (not some other rule)")
        .isGreaterThan(droppedBefore);
  }

  /**
   * The check fails when the guard rule is missing. Removing it for a moment is safe only while no
   * Pod runs, so this comes before the first Pod of the run, and asserts that.
   */
  private void refusesToGoOnWithoutTheGuard() {
    assertThat(node.kubectl("get", "pods", "-A", "-o", "name").trim())
        .as("no Pod runs yet")
        .isEmpty();
    String bridge = node.env("BRO_E2E_BRIDGE");
    List<String> guard =
        List.of(
            "FORWARD",
            "-i",
            bridge,
            "!",
            "-o",
            bridge,
            "-m",
            "comment",
            "--comment",
            "bro-e2e-guard",
            "-j",
            "DROP");
    iptables("-D", guard);
    HostCommand.Result check;
    try {
      check = RealNode.script(Duration.ofMinutes(1), "check");
    } finally {
      iptables("-I", guard);
    }
    assertThat(check.exitCode()).as("e2e-node.sh check without the guard").isNotZero();
    assertThat(check.output()).contains("NETWORK CONFINEMENT IS NOT IN PLACE", "mangle FORWARD");
    node.checkNetworkConfinement();
  }

  private static void iptables(String action, List<String> rule) {
    List<String> command = new ArrayList<>(List.of("iptables", "-t", "mangle", action));
    command.addAll(rule);
    HostCommand.run(command, Map.of(), null, Duration.ofSeconds(30), null).orFail();
  }

  /** Addresses this machine reaches beyond itself: its default gateway and DNS servers. */
  private static List<String> outsideAddresses() {
    String routes =
        HostCommand.run(
                List.of("ip", "-4", "route", "show", "default"),
                Map.of(),
                null,
                Duration.ofSeconds(10),
                null)
            .orFail();
    Stream<String> gateways =
        routes.lines().map(line -> line.split("\\s+")).filter(f -> f.length > 2).map(f -> f[2]);
    Stream<String> dns;
    try {
      dns =
          Files.readAllLines(Path.of("/etc/resolv.conf")).stream()
              .map(String::trim)
              .filter(line -> line.startsWith("nameserver "))
              .map(line -> line.substring("nameserver ".length()).trim())
              .filter(ip -> ip.matches("[0-9.]+") && !ip.startsWith("127."));
    } catch (IOException e) {
      dns = Stream.empty();
    }
    List<String> addresses = Stream.concat(gateways, dns).distinct().toList();
    assertThat(addresses).as("a default gateway or DNS server of this machine").isNotEmpty();
    return addresses;
  }
}
