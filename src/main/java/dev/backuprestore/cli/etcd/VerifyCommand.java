package dev.backuprestore.cli.etcd;

import dev.backuprestore.etcd.ClusterState;
import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.etcd.client.EtcdTls;
import dev.backuprestore.etcd.restore.EtcdRestorer;
import dev.backuprestore.etcd.restore.MemberPlan;
import dev.backuprestore.etcd.restore.RestoredClusterVerifier;
import dev.backuprestore.etcd.restore.SnapshotFetcher;
import dev.backuprestore.etcd.restore.SnapshotVerifier;
import dev.backuprestore.storage.BackupStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code etcd-restore verify}: checks the restored cluster against the snapshot's state file. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "After every restored member started: check health, member list, revision and KV hash"
            + " against the snapshot's state file. Prints PASS/FAIL per check; exit code 0 only"
            + " when all pass.")
final class VerifyCommand implements Callable<Integer> {
  @Mixin SnapshotOptions snapshot;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--endpoints",
      split = ",",
      paramLabel = "URL",
      description =
          "Client URLs of the restored members; default: the client URLs in the state file.")
  List<String> endpoints = new ArrayList<>();

  @Option(
      names = "--member",
      paramLabel = "NAME=PEER_URL",
      description = "The expected members, as given to run; default: the state file's.")
  List<String> members = new ArrayList<>();

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = "CA of the etcd server certificates.")
  Path caFile;

  @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (PEM).")
  Path certFile;

  @Option(names = "--key", paramLabel = "FILE", description = "Client key (PEM).")
  Path keyFile;

  @Option(
      names = "--bump-revision",
      defaultValue = "0",
      paramLabel = "N",
      description = "The --bump-revision the members were restored with.")
  long bumpRevision;

  @Override
  public Integer call() {
    EtcdTls tls = tls();
    PrintWriter out = spec.commandLine().getOut();
    List<BackupStore> stores = new ArrayList<>();
    try {
      EtcdRestorer.Verification verification = snapshot.verification(stores);
      SnapshotFetcher.Fetched fetched =
          new SnapshotFetcher().fetch(verification.source(), verification.workDir());
      ClusterState.Etcd recorded =
          new SnapshotVerifier()
              .verifiedState(
                  fetched, verification.expected(), verification.allowUnrecordedChecksum())
              .map(ClusterState::etcd)
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(),
                          "snapshot "
                              + fetched.snapshotName()
                              + " has no state file: nothing recorded to verify against"));
      List<MemberPlan.Member> expected = expectedMembers(recorded);
      List<String> urls = endpoints.isEmpty() ? recordedClientUrls(recorded) : endpoints;
      if (urls.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "no client URLs: pass --endpoints");
      }
      RestoredClusterVerifier.Report report =
          new RestoredClusterVerifier(
                  new EtcdConnector(
                      tls, Duration.ofSeconds(10), EtcdConnector.SnapshotTransport.AUTO))
              .verify(urls, expected, recorded, bumpRevision);
      report.checks().forEach(out::println);
      out.println(report.passed() ? "RESULT: PASS" : "RESULT: FAIL");
      return report.passed() ? 0 : EtcdRestoreCommand.CHECK_FAILED;
    } finally {
      stores.forEach(BackupStore::close);
    }
  }

  private EtcdTls tls() {
    if (caFile == null && certFile == null && keyFile == null) {
      return null;
    }
    if (caFile == null || certFile == null || keyFile == null) {
      throw new ParameterException(spec.commandLine(), "--cacert, --cert and --key go together");
    }
    return EtcdTls.fromFiles(caFile, certFile, keyFile);
  }

  private List<MemberPlan.Member> expectedMembers(ClusterState.Etcd recorded) {
    List<MemberPlan.Member> expected = new ArrayList<>();
    if (!members.isEmpty()) {
      for (String member : members) {
        try {
          expected.add(MemberPlan.Member.parse(member));
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--member " + e.getMessage());
        }
      }
      return expected;
    }
    for (ClusterState.Member member : recorded.members()) {
      if (member.peerURLs() != null && !member.peerURLs().isEmpty()) {
        expected.add(new MemberPlan.Member(member.name(), member.peerURLs().get(0)));
      }
    }
    return expected;
  }

  private static List<String> recordedClientUrls(ClusterState.Etcd recorded) {
    List<String> urls = new ArrayList<>();
    for (ClusterState.Member member : recorded.members()) {
      if (member.clientURLs() != null) {
        urls.addAll(member.clientURLs());
      }
    }
    return urls;
  }
}
