package dev.backuprestore.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * A buffered stream over a file channel whose {@link #close()} only flushes: archive writers close
 * their output when done, and the upload, not the writer, decides between commit and abort. Once
 * the upload is finished ({@link #finish()}), writes fail.
 */
final class FlushOnCloseOutputStream extends BufferedOutputStream {
  private static final int BUFFER_SIZE = 64 * 1024;
  private final String name;
  private boolean finished;

  FlushOnCloseOutputStream(FileChannel channel, String name) {
    super(Channels.newOutputStream(channel), BUFFER_SIZE);
    this.name = name;
  }

  /** Called by the upload when it commits or aborts. */
  void finish() {
    finished = true;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    checkOpen();
    super.write(b);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    checkOpen();
    super.write(bytes, offset, length);
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      flush();
    }
  }

  private void checkOpen() throws IOException {
    if (finished) {
      throw new IOException("upload of backup file " + name + " is already finished");
    }
  }
}
