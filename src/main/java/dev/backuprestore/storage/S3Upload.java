package dev.backuprestore.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Streams an archive into S3 with bounded memory: bytes are buffered into one part of {@code
 * partSize} bytes; an archive that fits in one part is sent with a single PutObject, a bigger one
 * becomes a multipart upload that is completed on {@link #commit()}. On any failure or abort the
 * multipart upload is aborted, so S3 never shows a partial object.
 *
 * <p>When the server cannot be reached to abort, the upload is handed to {@code abandoned}: the
 * store retries the abort later. Until then the pending upload is invisible (never listed, never
 * readable); a bucket lifecycle rule {@code AbortIncompleteMultipartUpload} is the last resort.
 */
final class S3Upload implements Upload {
  private static final Logger LOG = LoggerFactory.getLogger(S3Upload.class);
  private static final int MAX_PARTS = 10_000;

  private final S3Client client;
  private final S3Location location;
  private final String key;
  private final String fileName;
  private final Consumer<AbandonedUpload> abandoned;
  private final ObjectAttributes attributes;
  private final OutputStream stream = new PartBufferStream();
  private byte[] buffer;
  private int buffered;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private long totalBytes;
  private boolean committed;
  private boolean aborted;

  /** A multipart upload whose abort failed. */
  record AbandonedUpload(String key, String uploadId) {}

  S3Upload(
      S3Client client,
      S3Location location,
      String fileName,
      int partSize,
      Consumer<AbandonedUpload> abandoned,
      ObjectAttributes attributes) {
    this.client = client;
    this.attributes = attributes;
    this.abandoned = abandoned;
    this.location = location;
    this.fileName = fileName;
    this.key = S3ObjectKeys.key(location.folder(), fileName);
    this.buffer = new byte[partSize];
  }

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public void commit() {
    if (aborted) {
      throw new IllegalStateException("upload of " + fileName + " was aborted");
    }
    if (committed) {
      return;
    }
    try {
      if (uploadId == null) {
        putSingleObject();
      } else {
        if (buffered > 0) {
          uploadPart();
        }
        client.completeMultipartUpload(
            request ->
                request
                    .bucket(location.bucketName())
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
      }
    } catch (SdkException e) {
      abort();
      throw S3Errors.map(failedUpload(), e, location);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
    committed = true;
    buffer = null;
    LOG.info(
        "uploaded backup file [{}] to {} ({} bytes, {} parts)",
        fileName,
        location.describe(),
        totalBytes,
        Math.max(1, parts.size()));
  }

  @Override
  public void abort() {
    if (committed || aborted) {
      return;
    }
    aborted = true;
    buffer = null;
    if (uploadId == null) {
      return; // nothing was sent
    }
    try {
      client.abortMultipartUpload(
          request -> request.bucket(location.bucketName()).key(key).uploadId(uploadId));
      LOG.info("aborted upload of backup file [{}] to {}", fileName, location.describe());
    } catch (SdkException e) {
      LOG.warn(
          "cannot abort the multipart upload of backup file [{}] to {} now ({}); will retry",
          fileName,
          location.describe(),
          e.getMessage());
      abandoned.accept(new AbandonedUpload(key, uploadId));
    }
  }

  @Override
  public void close() {
    if (!committed) {
      abort();
    }
  }

  private void putSingleObject() {
    int length = buffered;
    client.putObject(
        request -> {
          request
              .bucket(location.bucketName())
              .key(key)
              .contentType(attributes.contentType())
              .metadata(attributes.metadata());
          if (!location.checksumsWhenRequired()) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
          }
        },
        body(length));
  }

  /** Sends the buffer as the next part, starting the multipart upload on the first part. */
  private void uploadPart() {
    if (uploadId == null) {
      uploadId =
          client
              .createMultipartUpload(
                  request -> {
                    request
                        .bucket(location.bucketName())
                        .key(key)
                        .contentType(attributes.contentType())
                        .metadata(attributes.metadata());
                    if (!location.checksumsWhenRequired()) {
                      request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                    }
                  })
              .uploadId();
    }
    int partNumber = parts.size() + 1;
    if (partNumber > MAX_PARTS) {
      throw StorageException.permanent(
          failedUpload()
              + ": the archive exceeds "
              + MAX_PARTS
              + " parts of "
              + buffer.length
              + " bytes");
    }
    // Part checksums are explicit: the SDK computes one anyway, and S3 then requires the
    // multipart upload to declare the algorithm and the completion to list every part's value.
    UploadPartResponse response =
        client.uploadPart(
            request -> {
              request
                  .bucket(location.bucketName())
                  .key(key)
                  .uploadId(uploadId)
                  .partNumber(partNumber);
              if (!location.checksumsWhenRequired()) {
                request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
              }
            },
            body(buffered));
    parts.add(
        CompletedPart.builder()
            .partNumber(partNumber)
            .eTag(response.eTag())
            .checksumCRC32(response.checksumCRC32())
            .build());
    LOG.debug("uploaded part {} of backup file [{}] ({} bytes)", partNumber, fileName, buffered);
    buffered = 0;
  }

  /** The buffer as a replayable body (the SDK retries), without copying it. */
  private RequestBody body(int length) {
    byte[] bytes = buffer;
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(bytes, 0, length), length, attributes.contentType());
  }

  private String failedUpload() {
    return "failed to upload backup file [" + fileName + "] as [" + key + "]";
  }

  /** Fills the part buffer; a full buffer is sent when more bytes arrive. */
  private final class PartBufferStream extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (committed || aborted) {
        throw new IOException("upload of backup file [" + fileName + "] is already finished");
      }
      Objects.checkFromIndexSize(offset, length, bytes.length);
      while (length > 0) {
        if (buffered == buffer.length) {
          sendFullBuffer();
        }
        int chunk = Math.min(length, buffer.length - buffered);
        System.arraycopy(bytes, offset, buffer, buffered, chunk);
        buffered += chunk;
        totalBytes += chunk;
        offset += chunk;
        length -= chunk;
      }
    }

    /** Closing the stream neither commits nor aborts; see {@link Upload}. */
    @Override
    public void close() {}

    private void sendFullBuffer() {
      try {
        uploadPart();
      } catch (SdkException e) {
        abort();
        throw S3Errors.map(failedUpload(), e, location);
      } catch (RuntimeException e) {
        abort();
        throw e;
      }
    }
  }
}
