package dev.backuprestore.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A download that must deliver exactly {@code expected} bytes. The JDK's HTTP client ends a
 * response body at the first end of stream, so a connection the server, a proxy or a load balancer
 * closes in the middle of a body looks like a shorter, complete object. Without this check a
 * restore would read a truncated archive and blame the archive ("truncated gzip stream", a
 * permanent failure) for what is a network fault that a retry fixes. An early end of stream is
 * reported as an {@link IOException} that says so.
 */
final class LengthCheckedInputStream extends FilterInputStream {
  private final long expected;
  private final String what;
  private long read;

  /**
   * @param expected the Content-Length of the response
   * @param what names the download in the error, e.g. "backup file [key] from s3 bucket [b]"
   */
  LengthCheckedInputStream(InputStream in, long expected, String what) {
    super(in);
    this.expected = expected;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      checkComplete();
    } else {
      read++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n < 0) {
      checkComplete();
    } else {
      read += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    read += skipped;
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void checkComplete() throws IOException {
    if (read < expected) {
      throw new IOException(
          "the download of "
              + what
              + " ended after "
              + read
              + " of "
              + expected
              + " bytes: the connection was closed early");
    }
  }
}
