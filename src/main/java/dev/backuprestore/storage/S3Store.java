package dev.backuprestore.storage;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Archives as objects in an S3 bucket, under an optional folder. See {@link S3ObjectKeys} for the
 * key scheme and {@link S3Upload} for how uploads stream.
 *
 * <p>Like Rancher, the store first checks that the bucket exists (HEAD bucket, so the credentials
 * need {@code s3:ListBucket}); a missing bucket fails with "s3 bucket [name] not found". The check
 * runs once per store, before its first operation.
 */
public final class S3Store implements BackupStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);

  /** Part size of multipart uploads: the memory one upload holds. */
  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  /** S3's minimum size of every part but the last. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private final S3Location location;
  private final S3Client client;
  private final int partSize;
  private final S3Endpoints.Resolved endpoint;
  private volatile boolean bucketChecked;

  /** Multipart uploads whose abort failed (server unreachable); retried before each operation. */
  private final Queue<S3Upload.AbandonedUpload> abandoned;

  /** A store with {@link #DEFAULT_PART_SIZE}. */
  public S3Store(S3Location location) {
    this(location, DEFAULT_PART_SIZE);
  }

  /**
   * @param partSize bytes per multipart part, at least {@link #MIN_PART_SIZE}; archives up to this
   *     size are sent with a single PutObject
   * @throws StorageException permanent when the configuration is invalid (endpoint, endpointCA)
   */
  public S3Store(S3Location location, int partSize) {
    this(location, partSize, new AbandonedUploads());
  }

  /**
   * A store with {@link #DEFAULT_PART_SIZE} that shares {@code abandonedUploads} with other stores:
   * when it uploads, lists or closes, it also aborts the uploads that earlier stores for the same
   * bucket could not abort.
   */
  public S3Store(S3Location location, AbandonedUploads abandonedUploads) {
    this(location, DEFAULT_PART_SIZE, abandonedUploads);
  }

  private S3Store(S3Location location, int partSize, AbandonedUploads abandonedUploads) {
    this.location = Objects.requireNonNull(location, "location");
    this.abandoned = abandonedUploads.queueFor(location);
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("partSize must be at least 5 MiB: " + partSize);
    }
    this.partSize = partSize;
    this.endpoint = S3Endpoints.resolve(location);
    this.client = S3ClientFactory.create(location);
    LOG.debug("s3 store for {}", location);
  }

  public S3Location location() {
    return location;
  }

  /**
   * Checks that the bucket exists and is accessible; done automatically before the first operation.
   * Call it to validate a location early.
   *
   * @throws StorageException permanent for a missing bucket or denied access, transient when the
   *     endpoint cannot be reached
   */
  public void checkBucket() {
    if (bucketChecked) {
      return;
    }
    try {
      client.headBucket(request -> request.bucket(location.bucketName()));
    } catch (SdkException e) {
      throw S3Errors.bucketCheckFailure(e, location);
    }
    bucketChecked = true;
  }

  @Override
  public Upload openUpload(String fileName) {
    return openUpload(fileName, ObjectAttributes.GZIP);
  }

  @Override
  public Upload openUpload(String fileName, ObjectAttributes attributes) {
    validate(fileName);
    checkBucket();
    abortAbandonedUploads();
    return new S3Upload(client, location, fileName, partSize, abandoned::add, attributes);
  }

  /**
   * Opens the object whose key is exactly {@code folder/fileName}. The stream fails with an {@link
   * java.io.IOException} if the connection ends before the whole object arrived ({@link
   * LengthCheckedInputStream}).
   *
   * @throws StorageException permanent with Rancher's "no backup files found with prefix [key] in
   *     bucket [name]" when there is no such object
   */
  @Override
  public InputStream open(String fileName) {
    validate(fileName);
    checkBucket();
    String key = S3ObjectKeys.key(location.folder(), fileName);
    try {
      ResponseInputStream<GetObjectResponse> body =
          client.getObject(request -> request.bucket(location.bucketName()).key(key));
      Long length = body.response().contentLength();
      if (length == null) {
        return body;
      }
      return new LengthCheckedInputStream(
          body, length, "backup file [" + key + "] from " + location.describe());
    } catch (NoSuchKeyException e) {
      throw StorageException.permanent(
          "failed to download s3 backup: no backup files found with prefix ["
              + key
              + "] in bucket ["
              + location.bucketName()
              + "]",
          e);
    } catch (SdkException e) {
      throw S3Errors.map("failed to download backup file [" + key + "]", e, location);
    }
  }

  /**
   * Lists the folder recursively (names keep sub-folder paths relative to the folder); without a
   * folder only top-level objects are listed, as in Rancher.
   */
  @Override
  public List<StoredObject> list() {
    checkBucket();
    abortAbandonedUploads();
    String prefix = S3ObjectKeys.listPrefix(location.folder());
    String delimiter = prefix.isEmpty() ? "/" : null;
    List<StoredObject> result = new ArrayList<>();
    try {
      if (endpoint.listV1()) {
        listV1(prefix, delimiter, result);
      } else {
        client
            .listObjectsV2Paginator(
                request ->
                    request.bucket(location.bucketName()).prefix(prefix).delimiter(delimiter))
            .contents()
            .forEach(object -> add(result, prefix, object));
      }
    } catch (SdkException e) {
      throw S3Errors.map("failed to list backup files", e, location);
    }
    return result;
  }

  /**
   * Aborts every pending multipart upload whose key starts with the folder and {@code
   * fileNamePrefix}: with one writer per Backup, those were left by a process that was killed
   * mid-upload (its own abort never ran).
   */
  @Override
  public List<String> abortInterruptedUploads(String fileNamePrefix) {
    validate(fileNamePrefix);
    String keyPrefix = S3ObjectKeys.key(location.folder(), fileNamePrefix);
    List<String> aborted = new ArrayList<>();
    try {
      checkBucket();
      client
          .listMultipartUploadsPaginator(
              request -> request.bucket(location.bucketName()).prefix(keyPrefix))
          .uploads()
          .forEach(
              upload -> {
                try {
                  abort(upload.key(), upload.uploadId());
                  aborted.add(upload.key());
                } catch (NoSuchUploadException e) {
                  LOG.debug("interrupted upload of [{}] is already gone", upload.key());
                }
              });
    } catch (SdkException | StorageException e) {
      LOG.info(
          "could not look for interrupted uploads of [{}] in {} (they stay until a bucket"
              + " lifecycle rule removes them): {}",
          keyPrefix,
          location.describe(),
          e.getMessage());
    }
    if (!aborted.isEmpty()) {
      LOG.info(
          "aborted {} upload(s) left by an interrupted backup in {}: {}",
          aborted.size(),
          location.describe(),
          aborted);
    }
    return aborted;
  }

  @Override
  public void delete(String fileName) {
    validate(fileName);
    checkBucket();
    String key = S3ObjectKeys.key(location.folder(), fileName);
    try {
      client.deleteObject(request -> request.bucket(location.bucketName()).key(key));
    } catch (SdkException e) {
      throw S3Errors.map("failed to delete backup file [" + key + "]", e, location);
    }
  }

  @Override
  public String locationType() {
    return LOCATION_S3;
  }

  @Override
  public String describe() {
    return location.describe();
  }

  @Override
  public String toString() {
    return describe();
  }

  @Override
  public void close() {
    abortAbandonedUploads();
    client.close();
  }

  /**
   * Retries the aborts that failed while the server was unreachable, so an interrupted upload
   * leaves nothing behind once the server is back (if this store is used again).
   */
  private void abortAbandonedUploads() {
    for (int i = abandoned.size(); i > 0; i--) {
      S3Upload.AbandonedUpload upload = abandoned.poll();
      if (upload == null) {
        return;
      }
      try {
        abort(upload.key(), upload.uploadId());
        LOG.info("aborted interrupted upload of [{}] in {}", upload.key(), location.describe());
      } catch (NoSuchUploadException e) {
        LOG.debug("interrupted upload of [{}] is already gone", upload.key());
      } catch (SdkException e) {
        abandoned.add(upload);
        LOG.debug("interrupted upload of [{}] still cannot be aborted", upload.key(), e);
      }
    }
  }

  private void abort(String key, String uploadId) {
    client.abortMultipartUpload(
        request -> request.bucket(location.bucketName()).key(key).uploadId(uploadId));
  }

  /** Google Cloud Storage's S3 API only implements ListObjects V1 (Rancher PR #199). */
  private void listV1(String prefix, String delimiter, List<StoredObject> result) {
    String marker = null;
    while (true) {
      String currentMarker = marker;
      var page =
          client.listObjects(
              request ->
                  request
                      .bucket(location.bucketName())
                      .prefix(prefix)
                      .delimiter(delimiter)
                      .marker(currentMarker));
      page.contents().forEach(object -> add(result, prefix, object));
      if (!Boolean.TRUE.equals(page.isTruncated()) || page.contents().isEmpty()) {
        return;
      }
      marker =
          page.nextMarker() != null
              ? page.nextMarker()
              : page.contents().get(page.contents().size() - 1).key();
    }
  }

  private static void add(List<StoredObject> result, String prefix, S3Object object) {
    String name = S3ObjectKeys.fileName(prefix, object.key());
    if (name.isEmpty() || name.endsWith("/")) {
      return; // folder placeholder objects
    }
    long size = object.size() == null ? 0 : object.size();
    Instant lastModified = object.lastModified() == null ? Instant.EPOCH : object.lastModified();
    result.add(new StoredObject(name, size, lastModified));
  }

  private static void validate(String fileName) {
    if (fileName == null || fileName.isBlank()) {
      throw StorageException.permanent("invalid backup file name [" + fileName + "]");
    }
  }
}
