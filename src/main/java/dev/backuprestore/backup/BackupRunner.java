package dev.backuprestore.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.api.v1.ResourceSet;
import dev.backuprestore.archive.ArchiveLayout;
import dev.backuprestore.archive.BackupFileName;
import dev.backuprestore.archive.TarGzArchiveWriter;
import dev.backuprestore.collect.ResourceCollector;
import dev.backuprestore.kube.CanonicalJson;
import dev.backuprestore.kube.ResourceType;
import dev.backuprestore.storage.Upload;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collect, encrypt, archive, store, as one stream: each object goes from its LIST page through
 * canonical JSON and encryption into the tar.gz and straight into the store's upload. Memory does
 * not grow with the number of objects and no plaintext is staged on disk. The archive becomes
 * visible only when complete; on any failure the upload is aborted and nothing is left behind.
 */
public class BackupRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BackupRunner.class);
  private final ResourceCollector collector;
  private final ObjectMapper mapper;

  public BackupRunner(ResourceCollector collector, ObjectMapper mapper) {
    this.collector = collector;
    this.mapper = mapper;
  }

  public BackupResult run(BackupJob job) {
    String fileName =
        BackupFileName.format(job.backupName(), job.clusterId(), job.startedAt(), job.encrypted());
    LOG.info("Backup {}: writing {} to {}", job.backupName(), fileName, job.store().describe());
    try (Upload upload = job.store().openUpload(fileName)) {
      TarGzArchiveWriter archive = new TarGzArchiveWriter(upload.stream());
      collector.collect(
          job.resourceSet().getResourceSelectors(),
          (type, object) -> archive.writeObject(path(type, object), seal(job, type, object)));
      archive.writeFilters(filtersJson(job.resourceSet()));
      archive.finish();
      upload.commit();
      return new BackupResult(fileName, archive.fileCount() - 1, archive.compressedBytes());
    } catch (IOException e) {
      throw new BackupException(
          "writing backup " + fileName + " failed: " + e.getMessage(), false, e);
    }
  }

  private static dev.backuprestore.archive.ObjectPath path(ResourceType type, ObjectNode object) {
    return ArchiveLayout.object(
        type.group(),
        type.version(),
        type.plural(),
        type.namespaced() ? object.path("metadata").path("namespace").asText() : null,
        object.path("metadata").path("name").asText());
  }

  private static byte[] seal(BackupJob job, ResourceType type, ObjectNode object) {
    byte[] json = CanonicalJson.toBytes(object);
    String namespace =
        type.namespaced() ? object.path("metadata").path("namespace").asText() : null;
    return job.cipher()
        .seal(
            type.group(),
            type.plural(),
            namespace,
            object.path("metadata").path("name").asText(),
            json);
  }

  /** The ResourceSet as fetched, like Rancher's typed marshal: metadata and the two lists. */
  private byte[] filtersJson(ResourceSet resourceSet) {
    ObjectNode node = mapper.valueToTree(resourceSet);
    return CanonicalJson.toBytes(node);
  }
}
