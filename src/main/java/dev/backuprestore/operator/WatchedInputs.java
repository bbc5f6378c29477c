package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Backup;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.api.v1.S3ObjectStore;
import dev.backuprestore.api.v1.StorageLocation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * The inputs a Backup or Restore names, watched with java-operator-sdk event sources: the
 * ResourceSet (Backups) and the Secrets in the operator namespace (the encryption configuration,
 * the S3 credentials, the default S3 location). Creating or fixing one reconciles, at once, the
 * resources that name it, instead of waiting out the retry backoff (up to 5 minutes). What the
 * reconcile then does is decided by the state machine (docs/controller-lifecycle.md): a finished
 * Restore or one-time Backup stays finished, a recurring Backup keeps its schedule.
 */
final class WatchedInputs {
  private final String chartNamespace;
  private final String defaultS3SecretName;

  WatchedInputs(String chartNamespace, String defaultS3SecretName) {
    this.chartNamespace = chartNamespace;
    this.defaultS3SecretName = defaultS3SecretName == null ? "" : defaultS3SecretName;
  }

  List<EventSource<?, Backup>> forBackups(EventSourceContext<Backup> context) {
    InformerEventSource<ResourceSet, Backup> resourceSets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ResourceSet.class, Backup.class)
                .withName("resourcesets")
                .withSecondaryToPrimaryMapper(
                    set ->
                        primaries(
                            context,
                            set,
                            (backup, s) ->
                                backup.getSpec() != null
                                    && s.getMetadata()
                                        .getName()
                                        .equals(backup.getSpec().getResourceSetName())))
                .build(),
            context);
    return List.of(resourceSets, secrets(context, Backup.class, WatchedInputs::namesOfBackup));
  }

  List<EventSource<?, Restore>> forRestores(EventSourceContext<Restore> context) {
    return List.of(secrets(context, Restore.class, WatchedInputs::namesOfRestore));
  }

  private <P extends HasMetadata> InformerEventSource<Secret, P> secrets(
      EventSourceContext<P> context,
      Class<P> primary,
      BiFunction<WatchedInputs, P, Set<String>> secretNames) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, primary)
            .withName("secrets")
            .withNamespaces(chartNamespace)
            .withSecondaryToPrimaryMapper(
                secret ->
                    primaries(
                        context,
                        secret,
                        (resource, s) ->
                            secretNames.apply(this, resource).contains(s.getMetadata().getName())))
            .build(),
        context);
  }

  private static <P extends HasMetadata, S extends HasMetadata> Set<ResourceID> primaries(
      EventSourceContext<P> context, S secondary, BiPredicate<P, S> names) {
    return context
        .getPrimaryCache()
        .list()
        .filter(primary -> names.test(primary, secondary))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private Set<String> namesOfBackup(Backup backup) {
    if (backup.getSpec() == null) {
      return Set.of();
    }
    return secretNames(
        backup.getSpec().getEncryptionConfigSecretName(), backup.getSpec().getStorageLocation());
  }

  private Set<String> namesOfRestore(Restore restore) {
    if (restore.getSpec() == null) {
      return Set.of();
    }
    return secretNames(
        restore.getSpec().getEncryptionConfigSecretName(), restore.getSpec().getStorageLocation());
  }

  /** The Secrets of the operator namespace that a resource's spec uses. */
  private Set<String> secretNames(String encryptionSecret, StorageLocation location) {
    Set<String> names = new HashSet<>();
    addIfSet(names, encryptionSecret);
    S3ObjectStore s3 = location == null ? null : location.getS3();
    if (s3 != null) {
      if (Objects.equals(chartNamespace, s3.getCredentialSecretNamespace())) {
        addIfSet(names, s3.getCredentialSecretName());
      }
    } else {
      // No location in the spec: the operator's default S3 location Secret may be the one used.
      addIfSet(names, defaultS3SecretName);
    }
    return names;
  }

  private static void addIfSet(Set<String> names, String name) {
    if (name != null && !name.isBlank()) {
      names.add(name);
    }
  }
}
