package dev.backuprestore.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class TarGzArchiveWriterTest {
  static final Instant WRITE_TIME = Instant.parse("2024-05-01T13:45:07.250Z");
  private static final Clock CLOCK = Clock.fixed(WRITE_TIME, ZoneOffset.UTC);

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Entry names exactly as stored in the ustar name field (commons-compress's reader would add a
   * {@code /} to directory names); only for archives without PAX headers.
   */
  static List<String> rawNames(byte[] archive) throws IOException {
    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(archive)).readAllBytes();
    List<String> names = new ArrayList<>();
    int offset = 0;
    while (tar[offset] != 0) {
      int end = offset;
      while (end < offset + 100 && tar[end] != 0) {
        end++;
      }
      names.add(new String(tar, offset, end - offset, StandardCharsets.UTF_8));
      String sizeField = new String(tar, offset + 124, 11, StandardCharsets.US_ASCII).trim();
      long size = Long.parseLong(sizeField, 8);
      offset += 512 + (int) ((size + 511) / 512 * 512);
    }
    return names;
  }

  /** Parsed tar headers of an archive. */
  static List<TarArchiveEntry> headers(byte[] archive) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        entries.add(entry);
      }
    }
    return entries;
  }

  @Test
  void writesGoLikeDirectoryAndFileEntries() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarGzArchiveWriter writer = new TarGzArchiveWriter(out, CLOCK)) {
      writer.writeObject(
          ArchiveLayout.object("", "v1", "secrets", "cattle-system", "a"), json("{}"));
      writer.writeFilters(json("{\"resourceSelectors\":[]}"));
    }

    assertThat(rawNames(out.toByteArray()))
        .containsExactly(
            "secrets.#v1",
            "secrets.#v1/cattle-system",
            "secrets.#v1/cattle-system/a.json",
            "filters",
            "filters/filters.json");
    for (TarArchiveEntry header : headers(out.toByteArray())) {
      boolean directory = !header.getName().endsWith(".json");
      assertThat(header.getLinkFlag()).isEqualTo(directory ? (byte) '5' : (byte) '0');
      assertThat(header.getMode()).isEqualTo(directory ? 0755 : 0644);
      assertThat(header.getModTime().toInstant()).isEqualTo(Instant.parse("2024-05-01T13:45:07Z"));
      assertThat(header.getLongUserId()).isZero();
      assertThat(header.getUserName()).isEmpty();
      assertThat(header.getGroupName()).isEmpty();
    }
  }

  @Test
  void emitsEachDirectoryOnceEvenWhenATypeArrivesInSeveralRuns() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarGzArchiveWriter writer = new TarGzArchiveWriter(out, CLOCK)) {
      writer.writeFile("secrets.#v1/ns1/a.json", json("{}"));
      writer.writeFile("namespaces.#v1/ns1.json", json("{}"));
      writer.writeFile("secrets.#v1/ns2/b.json", json("{}"));
      writer.writeFile("secrets.#v1/ns1/c.json", json("{}"));
      writer.writeFile("namespaces.#v1/ns2.json", json("{}"));
      assertThat(writer.fileCount()).isEqualTo(5);
      assertThat(writer.directoryCount()).isEqualTo(4);
      assertThat(writer.contentBytes()).isEqualTo(10);
    }

    assertThat(rawNames(out.toByteArray()))
        .containsExactly(
            "secrets.#v1",
            "secrets.#v1/ns1",
            "secrets.#v1/ns1/a.json",
            "namespaces.#v1",
            "namespaces.#v1/ns1.json",
            "secrets.#v1/ns2",
            "secrets.#v1/ns2/b.json",
            "secrets.#v1/ns1/c.json",
            "namespaces.#v1/ns2.json");
  }

  @Test
  void longAndNonAsciiNamesRoundTripThroughPaxHeaders() throws IOException {
    String longPath = "configmaps.#v1/" + "n".repeat(63) + "/" + "x".repeat(253) + ".json";
    String unicodePath = "things.example.com#v1/caf\u00e9.json";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarGzArchiveWriter writer = new TarGzArchiveWriter(out, CLOCK)) {
      writer.writeFile(longPath, json("{\"a\":1}"));
      writer.writeFile(unicodePath, json("{\"b\":2}"));
    }

    List<ArchiveEntry> entries = TarGzArchiveReaderTest.readAll(out.toByteArray());
    assertThat(entries).extracting(ArchiveEntry::path).containsExactly(longPath, unicodePath);
    assertThat(entries.get(0).content()).isEqualTo(json("{\"a\":1}"));
  }

  @Test
  void deflatesAtLevelOneWithTheSameTarInsideAsTheDefaultLevel() throws IOException {
    // Repetitive JSON, where the levels differ: level 1 finds fewer matches than level 6.
    StringBuilder body = new StringBuilder("{\"data\":{");
    for (int i = 0; i < 2000; i++) {
      body.append("\"key-").append(i % 97).append("\":\"value-").append(i % 89).append("\",");
    }
    byte[] content = json(body.append("\"end\":\"x\"}}").toString());
    byte[] fast = archive(TarGzArchiveWriter.DEFLATE_LEVEL, content);
    byte[] standard = archive(java.util.zip.Deflater.DEFAULT_COMPRESSION, content);

    assertThat(TarGzArchiveWriter.DEFLATE_LEVEL).isEqualTo(1);
    assertThat(fast).isNotEqualTo(standard);
    assertThat(new GZIPInputStream(new ByteArrayInputStream(fast)).readAllBytes())
        .isEqualTo(new GZIPInputStream(new ByteArrayInputStream(standard)).readAllBytes());
    // The same stream a plain level-1 deflater gives the tar: the level covers every block.
    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(fast)).readAllBytes();
    java.util.zip.Deflater levelOne = new java.util.zip.Deflater(1, true);
    levelOne.setInput(tar);
    levelOne.finish();
    byte[] expected = new byte[tar.length + 1024];
    int length = levelOne.deflate(expected);
    levelOne.end();
    assertThat(java.util.Arrays.copyOfRange(fast, 10, fast.length - 8))
        .isEqualTo(java.util.Arrays.copyOf(expected, length));
  }

  private static byte[] archive(int level, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarGzArchiveWriter writer = new TarGzArchiveWriter(out, CLOCK, level)) {
      writer.writeFile("configmaps.#v1/default/big.json", content);
      writer.writeFilters(json("{\"resourceSelectors\":[]}"));
    }
    return out.toByteArray();
  }

  @Test
  void isASingleGzipMemberAndCountsCompressedBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarGzArchiveWriter writer = new TarGzArchiveWriter(out, CLOCK);
    writer.writeFile("secrets.#v1/a.json", json("{}"));
    writer.finish();
    byte[] archive = out.toByteArray();
    assertThat(writer.compressedBytes()).isEqualTo(archive.length);
    writer.close();

    assertThat(archive[0] & 0xff).isEqualTo(0x1f);
    assertThat(archive[1] & 0xff).isEqualTo(0x8b);
    int members = 0;
    for (int i = 0; i + 2 < archive.length; i++) {
      if ((archive[i] & 0xff) == 0x1f && (archive[i + 1] & 0xff) == 0x8b && archive[i + 2] == 8) {
        members++;
      }
    }
    assertThat(members).isEqualTo(1);
  }

  @Test
  void streamsInsteadOfBufferingTheArchive() throws IOException {
    CountingSink sink = new CountingSink();
    byte[] body = new byte[64 * 1024];
    new java.util.Random(1).nextBytes(body); // incompressible
    try (TarGzArchiveWriter writer = new TarGzArchiveWriter(sink, CLOCK)) {
      for (int i = 0; i < 64; i++) {
        writer.writeFile("configmaps.#v1/ns/cm-" + i + ".json", body);
      }
      // 4 MiB written: the bytes have left the writer before the end
      assertThat(sink.count).isGreaterThan(3L * 1024 * 1024);
      assertThat(writer.compressedBytes()).isEqualTo(sink.count);
    }
  }

  @Test
  void closeFinishesAndClosesTheUnderlyingStream() throws IOException {
    CountingSink sink = new CountingSink();
    new TarGzArchiveWriter(sink, CLOCK).close();
    assertThat(sink.closed).isTrue();
  }

  @Test
  void finishLeavesTheUnderlyingStreamOpenAndRefusesMoreFiles() throws IOException {
    CountingSink sink = new CountingSink();
    TarGzArchiveWriter writer = new TarGzArchiveWriter(sink, CLOCK);
    writer.finish();
    writer.finish();
    assertThat(sink.closed).isFalse();
    assertThatThrownBy(() -> writer.writeFile("secrets.#v1/a.json", json("{}")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesEntriesReadersWouldReject() throws IOException {
    try (TarGzArchiveWriter writer = new TarGzArchiveWriter(OutputStream.nullOutputStream())) {
      assertThatThrownBy(() -> writer.writeFile("secrets.#v1/a.json", new byte[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty content");
      assertThatThrownBy(() -> writer.writeFile("../a.json", json("{}")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'..'");
      assertThatThrownBy(() -> writer.writeFile("filters/other.json", json("{}")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown layout");
      assertThat(writer.fileCount()).isZero();
    }
  }

  private static final class CountingSink extends OutputStream {
    long count;
    boolean closed;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
