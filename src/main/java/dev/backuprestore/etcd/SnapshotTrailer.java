package dev.backuprestore.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * etcd's snapshot integrity trailer: the maintenance API streams the bolt database and then 32
 * bytes that are the sha256 of everything before them, so a valid snapshot has {@code size % 512 ==
 * 32}. etcd's client only checks the size shape and {@code etcdutl snapshot status} checks nothing;
 * only a restore compares the digest. We compare it when the snapshot is taken, so that a corrupt
 * snapshot never counts as a good one.
 *
 * <p>{@link Check} verifies while the bytes pass by, so the file is read once.
 */
public final class SnapshotTrailer {
  public static final int TRAILER_LENGTH = 32;
  private static final int PAGE_MODULUS = 512;

  private SnapshotTrailer() {}

  /** What a verified snapshot is. */
  public record Verified(long size, String trailerSha256, String fileSha256) {}

  /**
   * Verifies the trailer of a snapshot file.
   *
   * @throws EtcdSnapshotFormatException naming {@code what} when the trailer is missing or wrong
   */
  public static Verified verify(Path file, String what) throws IOException {
    Check check = new Check(what);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        check.update(buffer, 0, n);
      }
    }
    return check.finish();
  }

  /**
   * A streaming check: feed every byte with {@link #update}, then {@link #finish}. It keeps the
   * last 32 bytes back from the body digest, so the trailer is known only at the end.
   */
  public static final class Check {
    private final String what;
    private final MessageDigest body = sha256();
    private final MessageDigest whole = sha256();
    private final byte[] tail = new byte[TRAILER_LENGTH];
    private int tailLength;
    private long size;

    public Check(String what) {
      this.what = what;
    }

    public void update(byte[] bytes, int offset, int length) {
      whole.update(bytes, offset, length);
      size += length;
      if (length >= TRAILER_LENGTH) {
        // The old tail and all but the last 32 new bytes belong to the body.
        body.update(tail, 0, tailLength);
        body.update(bytes, offset, length - TRAILER_LENGTH);
        System.arraycopy(bytes, offset + length - TRAILER_LENGTH, tail, 0, TRAILER_LENGTH);
        tailLength = TRAILER_LENGTH;
        return;
      }
      int overflow = tailLength + length - TRAILER_LENGTH;
      if (overflow > 0) {
        body.update(tail, 0, overflow);
        System.arraycopy(tail, overflow, tail, 0, tailLength - overflow);
        tailLength -= overflow;
      }
      System.arraycopy(bytes, offset, tail, tailLength, length);
      tailLength += length;
    }

    /** Bytes seen so far. */
    public long size() {
      return size;
    }

    /**
     * @throws EtcdSnapshotFormatException when the size has no trailer or the digest differs
     */
    public Verified finish() {
      if (size < TRAILER_LENGTH || size % PAGE_MODULUS != TRAILER_LENGTH) {
        throw new EtcdSnapshotFormatException(
            what
                + ": no sha256 trailer (size "
                + size
                + " is not 32 more than a multiple of 512): truncated or not an etcd snapshot");
      }
      byte[] computed = body.digest();
      if (!MessageDigest.isEqual(computed, Arrays.copyOf(tail, TRAILER_LENGTH))) {
        throw new EtcdSnapshotFormatException(
            what
                + ": sha256 trailer mismatch (trailer "
                + HexFormat.of().formatHex(tail)
                + ", computed "
                + HexFormat.of().formatHex(computed)
                + "): the snapshot is corrupt");
      }
      return new Verified(
          size, HexFormat.of().formatHex(computed), HexFormat.of().formatHex(whole.digest()));
    }

    /** An output stream that feeds this check and then {@code target}. */
    public OutputStream tee(OutputStream target) {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          update(b, off, len);
          target.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
          target.flush();
        }

        @Override
        public void close() throws IOException {
          target.close();
        }
      };
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
