package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalDirectoryStoreTest {
  @TempDir Path dir;

  private static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCommittedUploadIsAFileWithTheArchive() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (Upload upload = store.openUpload("b-uid-2024-06-01T00-00-00Z.tar.gz")) {
      upload.stream().write(text("archive"));
      upload.commit();
    }

    assertThat(dir.resolve("b-uid-2024-06-01T00-00-00Z.tar.gz")).hasBinaryContent(text("archive"));
    assertThat(filesIn(dir)).containsExactly("b-uid-2024-06-01T00-00-00Z.tar.gz");
    try (InputStream in = store.open("b-uid-2024-06-01T00-00-00Z.tar.gz")) {
      assertThat(in.readAllBytes()).isEqualTo(text("archive"));
    }
    assertThat(store.locationType()).isEqualTo("PV");
    assertThat(store.describe()).contains(dir.toString());
  }

  @Test
  void anUploadInProgressIsAHiddenPartialFileThatIsNotListed() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (Upload upload = store.openUpload("x.tar.gz")) {
      upload.stream().write(new byte[100_000]);
      upload.stream().flush();

      assertThat(filesIn(dir))
          .singleElement()
          .satisfies(name -> assertThat(name).startsWith(".x.tar.gz.").endsWith(".partial"));
      assertThat(store.list()).isEmpty();
      assertThat(dir.resolve("x.tar.gz")).doesNotExist();
      upload.commit();
    }
    assertThat(store.list()).extracting(StoredObject::name).containsExactly("x.tar.gz");
  }

  @Test
  void closingWithoutCommitDeletesThePartialFile() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    Upload upload = store.openUpload("x.tar.gz");
    upload.stream().write(text("half"));
    upload.close();

    assertThat(filesIn(dir)).isEmpty();
    assertThatThrownBy(() -> upload.stream().write(1)).isInstanceOf(IOException.class);
    assertThatThrownBy(upload::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void abortDeletesThePartialFile() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (Upload upload = store.openUpload("x.tar.gz")) {
      upload.stream().write(text("half"));
      upload.abort();
      upload.abort(); // idempotent
    }
    assertThat(filesIn(dir)).isEmpty();
  }

  @Test
  void closingTheStreamNeitherCommitsNorAborts() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (Upload upload = store.openUpload("x.tar.gz")) {
      try (OutputStream out = upload.stream()) {
        out.write(text("gzip closes its output"));
      }
      assertThat(store.list()).isEmpty();
      upload.commit();
    }
    assertThat(dir.resolve("x.tar.gz")).hasBinaryContent(text("gzip closes its output"));
  }

  @Test
  void commitReplacesAnExistingFile() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    Files.write(dir.resolve("x.tar.gz"), text("old and longer"));
    try (Upload upload = store.openUpload("x.tar.gz")) {
      upload.stream().write(text("new"));
      upload.commit();
    }
    assertThat(dir.resolve("x.tar.gz")).hasBinaryContent(text("new"));
  }

  @Test
  void aCommittedArchiveIsReadableByOthersAsRanchersAreButNotWhileWritten() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    try (Upload upload = store.openUpload("x.tar.gz")) {
      upload.stream().write(text("data"));
      try (var partials = Files.list(dir)) {
        Path partial = partials.filter(f -> f.toString().endsWith(".partial")).findFirst().get();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(partial)))
            .isEqualTo("rw-------");
      }
      upload.commit();
    }

    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("x.tar.gz"))))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void createsAMissingDirectoryReadableOnlyByTheOwner() throws IOException {
    Path backups = dir.resolve("var/lib/backups");
    LocalDirectoryStore store = new LocalDirectoryStore(backups);
    assertThat(store.list()).isEmpty();

    try (Upload upload = store.openUpload("x.tar.gz")) {
      upload.commit();
    }

    assertThat(backups.resolve("x.tar.gz")).exists().isEmptyFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backups)))
        .isEqualTo("rwx------");
  }

  @Test
  void listGivesSizeAndMtimeAndSkipsHiddenFilesAndDirectories() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    Files.write(dir.resolve("a.tar.gz"), new byte[7]);
    Files.setLastModifiedTime(
        dir.resolve("a.tar.gz"), FileTime.from(Instant.parse("2024-06-01T00:00:00Z")));
    Files.write(dir.resolve(".b.tar.gz.123.partial"), new byte[3]);
    Files.createDirectory(dir.resolve("sub"));

    assertThat(store.list())
        .containsExactly(new StoredObject("a.tar.gz", 7, Instant.parse("2024-06-01T00:00:00Z")));
  }

  @Test
  void openingAMissingFileIsAPermanentError() {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    assertThatThrownBy(() -> store.open("missing.tar.gz"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
        .hasMessage("backup file missing.tar.gz not found in directory " + dir);
  }

  @Test
  void deleteRemovesTheFileAndIgnoresMissingOnes() throws IOException {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    Files.write(dir.resolve("a.tar.gz"), new byte[1]);
    store.delete("a.tar.gz");
    store.delete("a.tar.gz");
    assertThat(filesIn(dir)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "../escape.tar.gz", "sub/x.tar.gz", ".hidden", "..", "a\\b"})
  void fileNamesArePlainNames(String name) {
    LocalDirectoryStore store = new LocalDirectoryStore(dir);
    assertThatThrownBy(() -> store.openUpload(name))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
        .hasMessageContaining("invalid backup file name");
    assertThatThrownBy(() -> store.open(name)).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> store.delete(name)).isInstanceOf(StorageException.class);
  }

  private static List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
