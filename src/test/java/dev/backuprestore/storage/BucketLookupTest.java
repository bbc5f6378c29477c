package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** clientConfig.bucketLookup: Rancher's three values, any case; unknown values are an error. */
class BucketLookupTest {
  @Test
  void parsesTheThreeValuesInAnyCase() {
    assertThat(BucketLookup.parse("auto")).isEqualTo(BucketLookup.AUTO);
    assertThat(BucketLookup.parse(" DNS ")).isEqualTo(BucketLookup.DNS);
    assertThat(BucketLookup.parse("Path")).isEqualTo(BucketLookup.PATH);
    assertThat(BucketLookup.parse("")).isNull();
    assertThat(BucketLookup.parse(null)).isNull();
  }

  @Test
  void anUnknownValueIsAPermanentErrorNotASilentAuto() {
    // Rancher falls back to auto; a typo here would address the bucket in a way nobody chose.
    assertThatThrownBy(() -> BucketLookup.parse("virtual"))
        .isInstanceOf(StorageException.class)
        .hasMessage("invalid clientConfig.bucketLookup [virtual]: expected auto, dns or path")
        .satisfies(e -> assertThat(((StorageException) e).isPermanent()).isTrue());
  }
}
