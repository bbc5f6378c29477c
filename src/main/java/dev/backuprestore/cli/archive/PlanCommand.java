package dev.backuprestore.cli.archive;

import dev.backuprestore.cli.ExitCodes;
import dev.backuprestore.config.OperatorProtectedObjects;
import dev.backuprestore.crypto.ObjectCipher;
import dev.backuprestore.restore.RestoreJob;
import dev.backuprestore.restore.RestoreResult;
import dev.backuprestore.restore.RestoreRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A restore's plan against the live cluster: the operator's restore engine runs the whole pass with
 * every write a server-side dry run ({@link RestoreRunner#dryRun}), so the plan is what the restore
 * would do, object by object, and the API server validates every object. Nothing is changed.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Dry-run a restore against the live cluster; changes nothing.",
      "",
      "Dry-run a restore against the live cluster with the operator's restore engine: the"
          + " ordered list of objects it would create, update, leave unchanged or skip, what"
          + " prune would delete, the controllers it would scale down, the objects the cluster"
          + " cannot take (missing API versions or CRDs, schema or admission refusals found by a"
          + " server-side dry run of every object) and owner-reference problems. Changes"
          + " nothing. Exit code 1 when objects would fail."
    })
public final class PlanCommand implements Callable<Integer> {
  @Mixin ArchiveArgs args;

  @Parameters(
      arity = "0..1",
      paramLabel = "ARCHIVE",
      description = "archive file, or its name in the location")
  String archive;

  @Option(
      names = "--prune",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "plan prune, as the Restore's spec.prune (default: ${DEFAULT-VALUE})")
  boolean prune;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ArchiveArgs options = args;
        ArchiveSource source = options.open(archive)) {
      ObjectCipher cipher = options.cipher();
      KubernetesClient client = options.cluster.client();
      RestoreJob job =
          new RestoreJob(
              "kubectl-bro-plan-" + UUID.randomUUID(),
              source::open,
              cipher,
              prune,
              0,
              true,
              RestoreJob.DEFAULT_WORKERS,
              OperatorProtectedObjects.of(
                  options.cluster.storageDefaults(Optional.empty(), true),
                  options.encryption.source == null ? null : options.encryption.source.secret,
                  options.location.storageLocation()));
      PlanObserver observer = new PlanObserver();
      RestoreResult result = new RestoreRunner(client).dryRun(job, observer);
      PlanReport report = new PlanReport(observer, result);
      String server = client.getMasterUrl().toString();
      if (json) {
        spec.commandLine().getOut().println(Json.pretty(report.toJson(source.name(), server)));
      } else {
        report.print(spec.commandLine().getOut(), source.name(), server);
      }
      return report.hasProblems() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
  }
}
