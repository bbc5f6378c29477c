package dev.backuprestore.restore;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A scratch file mapped into memory in 1 MiB chunks: where a restore plan keeps its per-object
 * records and indexes, so that the Java heap does not grow with the number of archived objects
 * (docs/benchmarks.md, "Restore memory"). The pages belong to the kernel's page cache: they are
 * written back to the file under memory pressure instead of failing with OutOfMemoryError, and they
 * do not count against {@code -Xmx} nor {@code -XX:MaxDirectMemorySize}.
 *
 * <p>The file lives in {@code java.io.tmpdir}, next to the downloaded archive, and is unlinked as
 * soon as it is created: a killed operator leaves nothing behind, and the space is freed when the
 * channel is closed and the mappings are collected.
 *
 * <p>Each {@link Area} is a growable run of bytes over its own chunks. Absolute reads and writes at
 * distinct offsets are safe from several threads; growing an area is not (the plan grows only while
 * it is built, on one thread).
 */
final class SpillFile implements Closeable {
  static final int CHUNK_BITS = 20;
  static final int CHUNK_SIZE = 1 << CHUNK_BITS;
  private static final int CHUNK_MASK = CHUNK_SIZE - 1;
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final FileChannel channel;
  private long mappedChunks;

  SpillFile() {
    try {
      Path file =
          Files.createTempFile(
              "restore-plan-",
              ".bin",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the restore plan's scratch file", e);
    }
  }

  Area area() {
    return new Area();
  }

  private ByteBuffer newChunk() {
    try {
      ByteBuffer chunk =
          channel.map(FileChannel.MapMode.READ_WRITE, mappedChunks++ * CHUNK_SIZE, CHUNK_SIZE);
      return chunk.order(ByteOrder.nativeOrder());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot grow the restore plan's scratch file in " + System.getProperty("java.io.tmpdir"),
          e);
    }
  }

  /** Bytes mapped so far (the file's size). */
  long mappedBytes() {
    return mappedChunks * CHUNK_SIZE;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Unlinked already: nothing is left to clean up.
    }
  }

  /** A growable byte space; new bytes read as zero. */
  final class Area {
    private final List<ByteBuffer> chunks = new ArrayList<>();
    private long size;

    /** Bytes appended so far. */
    long size() {
      return size;
    }

    /** Reserves {@code bytes} at the end and returns their offset; the bytes are zero. */
    long allocate(long bytes) {
      long offset = size;
      size += bytes;
      while ((long) chunks.size() << CHUNK_BITS < size) {
        chunks.add(newChunk());
      }
      return offset;
    }

    /** Reserves {@code bytes} at the end, starting on a multiple of {@code alignment}. */
    long allocateAligned(long bytes, int alignment) {
      long padding = (alignment - (size % alignment)) % alignment;
      return allocate(padding + bytes) + padding;
    }

    private ByteBuffer chunk(long offset) {
      return chunks.get((int) (offset >>> CHUNK_BITS));
    }

    /** Multi-byte values never straddle chunks when they are aligned to their size. */
    int getInt(long offset) {
      return chunk(offset).getInt((int) (offset & CHUNK_MASK));
    }

    void putInt(long offset, int value) {
      chunk(offset).putInt((int) (offset & CHUNK_MASK), value);
    }

    long getLong(long offset) {
      return chunk(offset).getLong((int) (offset & CHUNK_MASK));
    }

    void putLong(long offset, long value) {
      chunk(offset).putLong((int) (offset & CHUNK_MASK), value);
    }

    /** An int read after everything its writer wrote before {@link #putIntRelease}. */
    int getIntAcquire(long offset) {
      return (int) INTS.getAcquire(chunk(offset), (int) (offset & CHUNK_MASK));
    }

    void putIntRelease(long offset, int value) {
      INTS.setRelease(chunk(offset), (int) (offset & CHUNK_MASK), value);
    }

    byte getByte(long offset) {
      return chunk(offset).get((int) (offset & CHUNK_MASK));
    }

    /** Copies {@code bytes} to {@code offset}; may straddle chunks. */
    void put(long offset, byte[] bytes) {
      int done = 0;
      while (done < bytes.length) {
        long at = offset + done;
        int inChunk = (int) (at & CHUNK_MASK);
        int length = Math.min(bytes.length - done, CHUNK_SIZE - inChunk);
        chunk(at).put(inChunk, bytes, done, length);
        done += length;
      }
    }

    /** Reads {@code length} bytes at {@code offset}; may straddle chunks. */
    byte[] get(long offset, int length) {
      byte[] bytes = new byte[length];
      int done = 0;
      while (done < length) {
        long at = offset + done;
        int inChunk = (int) (at & CHUNK_MASK);
        int part = Math.min(length - done, CHUNK_SIZE - inChunk);
        chunk(at).get(inChunk, bytes, done, part);
        done += part;
      }
      return bytes;
    }

    /** True when the {@code bytes.length} bytes at {@code offset} are {@code bytes}. */
    boolean equalsAt(long offset, byte[] bytes) {
      for (int i = 0; i < bytes.length; i++) {
        if (getByte(offset + i) != bytes[i]) {
          return false;
        }
      }
      return true;
    }
  }
}
