package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The fake keeps the contract callers rely on. */
class InMemoryBackupStoreTest {
  private final Instant now = Instant.parse("2024-06-01T00:00:00Z");
  private final InMemoryBackupStore store =
      new InMemoryBackupStore(BackupStore.LOCATION_S3, Clock.fixed(now, ZoneOffset.UTC));

  @Test
  void onlyCommittedUploadsAreVisible() throws IOException {
    try (Upload upload = store.openUpload("a.tar.gz")) {
      upload.stream().write(new byte[] {1, 2});
      assertThat(store.list()).isEmpty();
      upload.commit();
    }
    try (Upload upload = store.openUpload("b.tar.gz")) {
      upload.stream().write(3);
    }

    assertThat(store.list()).containsExactly(new StoredObject("a.tar.gz", 2, now));
    assertThat(store.open("a.tar.gz").readAllBytes()).containsExactly(1, 2);
    assertThat(store.locationType()).isEqualTo("S3");
  }

  @Test
  void missingFilesArePermanentErrors() {
    assertThatThrownBy(() -> store.open("none"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue());
  }

  @Test
  void seededFilesCanBeDeleted() {
    store.put("old.tar.gz", new byte[3], Instant.EPOCH);
    assertThat(store.list()).containsExactly(new StoredObject("old.tar.gz", 3, Instant.EPOCH));
    store.delete("old.tar.gz");
    assertThat(store.content("old.tar.gz")).isNull();
  }
}
